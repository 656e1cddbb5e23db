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
        ...s.policy.map((sentence) => `  - ${safeText(sentence)}`),
        '',
      ].join('\n'),
    )
    .join('');
}

export function formatGrant(grant: ApiGrant): string {
  const ended = grant.status === 'revoked' || grant.status === 'revoking' ? `, ended${grant.endReason ? ` (${safeText(grant.endReason)})` : ''}` : '';
  return `${safeText(grant.id)}  ${safeText(grant.scope)}: ${safeText(grant.status)} until ${safeText(grant.endsAt)}${ended}\n`;
}

/** Machine output: the API's own JSON, indented. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
