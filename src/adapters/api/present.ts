import type { z } from 'zod';
import { formatDuration } from '../../domain/duration.ts';
import type { Grant } from '../../domain/grant.ts';
import type { ElevationRequest } from '../../domain/request.ts';
import type { ScopeDefinition } from '../../domain/scope.ts';
import { describeAccepted, stepUpChallenge, type MfaPolicy } from '../../domain/step-up.ts';
import type { RequestView } from '../../ports/chat-platform.ts';
import type { GrantResource, GrantSummary, MfaResource, RequestResource, ScopeResource, VerificationResource } from './schemas.ts';

/** The API's view of a request: what its requester, approvers and admins may see. Never a token. */
export function presentRequest(view: RequestView): z.infer<typeof RequestResource> {
  const { request, reviews } = view;
  return {
    id: request.id,
    scope: request.scopeName,
    requester: request.requesterId,
    requesterKind: view.requester.kind,
    duration: formatDuration(request.durationSec),
    durationSec: request.durationSec,
    reason: request.reason,
    source: request.source,
    status: request.status,
    approvalsRequired: request.approvalsRequired,
    approvals: reviews.filter((r) => r.decision === 'approve').map((r) => r.approverId),
    denials: reviews.filter((r) => r.decision === 'deny').map((r) => r.approverId),
    eligibleApprovers: view.eligibleApprovers.map((p) => p.id),
    createdAt: request.createdAt.toISOString(),
    pendingUntil: request.pendingUntil.toISOString(),
    decidedAt: request.decidedAt?.toISOString() ?? null,
    decisionNote: request.decisionNote,
    grant: view.grant ? presentGrantSummary(view.grant) : null,
    extendsGrantId: request.extendsGrantId,
    breakGlass: request.breakGlass
      ? {
          reviewDueAt: request.breakGlass.dueAt.toISOString(),
          remindedAt: request.breakGlass.remindedAt?.toISOString() ?? null,
          reviewedAt: request.breakGlass.reviewedAt?.toISOString() ?? null,
          reviewedBy: request.breakGlass.reviewedBy,
          verdict: request.breakGlass.verdict,
          note: request.breakGlass.note,
        }
      : null,
    verification: request.status === 'verifying' && view.scope.mfa ? presentVerification(view.scope.mfa) : null,
  };
}

/** What the requester's sign-in must satisfy, as RFC 9470 names it (the challenge's own parameters). */
function presentVerification(mfa: MfaPolicy): z.infer<typeof VerificationResource> {
  const challenge = stepUpChallenge(mfa);
  return { acr_values: challenge.acrValues, max_age: challenge.maxAgeSec };
}

export function presentGrantSummary(grant: Grant): z.infer<typeof GrantSummary> {
  return {
    id: grant.id,
    status: grant.status,
    startsAt: grant.startsAt.toISOString(),
    endsAt: grant.endsAt.toISOString(),
    revokedAt: grant.revokedAt?.toISOString() ?? null,
    endReason: grant.endReason,
  };
}

export function presentGrant(grant: Grant, request: ElevationRequest): z.infer<typeof GrantResource> {
  return { ...presentGrantSummary(grant), requestId: request.id, scope: request.scopeName, requester: request.requesterId };
}

export function presentScope(scope: ScopeDefinition): z.infer<typeof ScopeResource> {
  return {
    name: scope.name,
    description: scope.description,
    oauthScope: scope.oauthScope,
    audience: scope.audience,
    defaultDuration: formatDuration(scope.defaultDurationSec),
    maxDuration: formatDuration(scope.maxDurationSec),
    pendingTtl: formatDuration(scope.pendingTtlSec),
    approvalsRequired: scope.approvalsRequired,
    approvers: [...scope.approvers],
    policy: describePolicy(scope),
    mfa: scope.mfa ? presentMfa(scope.mfa) : null,
  };
}

function presentMfa(mfa: MfaPolicy): z.infer<typeof MfaResource> {
  return { requester: mfa.requester, approver: mfa.approver, max_age: mfa.maxAgeSec, acr_values: [...mfa.acrValues], amr: [...mfa.amr], allow_service_accounts: mfa.allowServiceAccounts };
}

/** The scope's rules as sentences a requester can act on. */
export function describePolicy(scope: ScopeDefinition): string[] {
  const { policy } = scope;
  const rules: string[] = [];
  if (policy.autoApprove) rules.push('Approved automatically by policy, still time-boxed and audited.');
  else rules.push(`Needs ${scope.approvalsRequired} approval${scope.approvalsRequired === 1 ? '' : 's'} from ${scope.approvers.join(', ') || 'nobody yet'}; you cannot approve your own request.`);
  rules.push(`At most ${formatDuration(scope.maxDurationSec)}; unreviewed requests expire after ${formatDuration(scope.pendingTtlSec)}.`);
  if (scope.reasonPattern !== null) rules.push(`The reason must match ${scope.reasonPattern}.`);
  if (policy.allowedHoursUtc) rules.push(`Only between ${policy.allowedHoursUtc.start} and ${policy.allowedHoursUtc.end} UTC.`);
  if (policy.maxRequestsPerDay !== null) rules.push(`At most ${policy.maxRequestsPerDay} requests in 24 hours.`);
  if (policy.dormantAfterDays !== null) rules.push(`Denied for accounts unused for ${policy.dormantAfterDays} days.`);
  if (scope.mfa) rules.push(...describeMfa(scope.mfa));
  return rules;
}

/** The scope's step-up in sentences: who verifies, with what, how recently; and service accounts. */
function describeMfa(mfa: MfaPolicy): string[] {
  const who = mfa.requester && mfa.approver ? 'The requester (before the token is issued) and each approver (before the approval counts) sign' : mfa.requester ? 'The requester signs' : mfa.approver ? 'Each approver signs' : null;
  if (who === null) return [];
  const rules = [`${who} in with multi-factor authentication (${describeAccepted(mfa)}) no more than ${formatDuration(mfa.maxAgeSec)} before.`];
  if (mfa.requester) rules.push(mfa.allowServiceAccounts ? 'Service accounts may request it without verifying.' : 'Service accounts cannot request it: they cannot verify.');
  return rules;
}
