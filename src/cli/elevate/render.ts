import type { ApiGrant, ApiRequest, ApiScope } from './api-types.ts';
import { safeText } from './safe-text.ts';

/** Human-readable text for the API's resources. Every field from the server goes through {@link safeText}. */

const list = (names: readonly string[]): string => (names.length ? names.map((n) => safeText(n, 100)).join(', ') : 'nobody');

/** `1h05m`, `2m30s`, `12s`: how long something took. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** One line saying where a request stands. */
export function describeState(request: ApiRequest): string {
  const note = request.decisionNote ? `: ${safeText(request.decisionNote, 300)}` : '';
  switch (request.status) {
    case 'pending':
      return `pending, waiting for ${request.approvalsRequired - request.approvals.length} more approval(s) from ${list(request.eligibleApprovers)} until ${safeText(request.pendingUntil)}`;
    case 'verifying': {
      const by = request.approvals.length > 0 ? `approved by ${list(request.approvals)}` : 'approved by policy';
      return `${by}, waiting for ${safeText(request.requester, 100)} to verify with a multi-factor sign-in${describeVerification(request.verification)} until ${safeText(request.pendingUntil)}; no token yet`;
    }
    case 'denied':
      return `denied${request.denials.length ? ` by ${list(request.denials)}` : ''}${note}`;
    case 'auto_denied':
      return `denied by policy${note}`;
    case 'expired':
      return `expired: nobody decided before ${safeText(request.pendingUntil)}`;
    case 'cancelled':
      return `cancelled${note}`;
    case 'approved':
    case 'auto_approved': {
      const by = request.status === 'auto_approved' ? 'approved by policy' : `approved by ${list(request.approvals)}`;
      const grant = request.grant;
      if (!grant || grant.status === 'issuing') return `${by}, the grant is being issued`;
      if (grant.status === 'active') return `${by}, granted until ${safeText(grant.endsAt)} (grant ${safeText(grant.id)})`;
      if (grant.status === 'issue_failed') return `${by}, but the token could not be issued`;
      return `${by}, the grant ${safeText(grant.id)} has ended`;
    }
  }
}

/** ` (acr X or Y, at most 5 min old)`: what the verification must satisfy, when the server said. */
function describeVerification(verification: ApiRequest['verification']): string {
  if (!verification) return '';
  const parts = [
    ...(verification.acr_values.length > 0 ? [`acr ${verification.acr_values.map((v) => safeText(v, 100)).join(' or ')}`] : []),
    `at most ${formatSeconds(verification.max_age)} old`,
  ];
  return ` (${parts.join(', ')})`;
}

/** `5 min`, `90 s`, `2 h`: a policy's length of time. */
function formatSeconds(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export function formatRequest(request: ApiRequest): string {
  return [
    `${safeText(request.id)}  ${safeText(request.scope)} for ${safeText(request.duration)}, requested by ${safeText(request.requester)}`,
    `  reason: ${safeText(request.reason)}`,
    `  status: ${describeState(request)}`,
    '',
  ].join('\n');
}

export function formatRequests(requests: readonly ApiRequest[], empty: string): string {
  if (requests.length === 0) return `${empty}\n`;
  return requests.map(formatRequest).join('');
}

export function formatScopes(scopes: readonly ApiScope[]): string {
  if (scopes.length === 0) return 'There is no scope you may request.\n';
  return scopes
    .map((s) =>
      [
        `${safeText(s.name)}  ${safeText(s.description)}`,
        `  duration: ${safeText(s.defaultDuration)} by default, at most ${safeText(s.maxDuration)}; ${s.approvalsRequired} approval(s) from ${list(s.approvers)}`,
        ...(s.mfa ? [`  mfa: ${describeMfa(s.mfa)}`] : []),
        ...s.policy.map((sentence) => `  - ${safeText(sentence)}`),
        '',
      ].join('\n'),
    )
    .join('');
}

/** `requester and approvers, amr otp or acr …, at most 5 min old`: a scope's step-up on one line. */
function describeMfa(mfa: NonNullable<ApiScope['mfa']>): string {
  if (!mfa.requester && !mfa.approver) return 'not asked of anyone';
  const who = mfa.requester && mfa.approver ? 'requester and approvers' : mfa.requester ? 'requester' : 'approvers';
  const accepted = [...(mfa.acr_values.length > 0 ? [`acr ${mfa.acr_values.map((v) => safeText(v, 100)).join(' or ')}`] : []), ...(mfa.amr.length > 0 ? [`amr ${mfa.amr.map((v) => safeText(v, 64)).join(' or ')}`] : [])];
  const services = mfa.requester ? (mfa.allow_service_accounts ? '; service accounts allowed without it' : '; not for service accounts') : '';
  return `${who} sign in with ${accepted.join(' or ')}, at most ${formatSeconds(mfa.max_age)} old${services}`;
}

export function formatGrant(grant: ApiGrant): string {
  const ended = grant.status === 'revoked' || grant.status === 'revoking' ? `, ended${grant.endReason ? ` (${safeText(grant.endReason)})` : ''}` : '';
  return `${safeText(grant.id)}  ${safeText(grant.scope)}: ${safeText(grant.status)} until ${safeText(grant.endsAt)}${ended}\n`;
}

/** Machine output: the API's own JSON, indented. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
