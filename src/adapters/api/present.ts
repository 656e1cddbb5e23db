import type { z } from 'zod';
import { formatDuration } from '../../domain/duration.ts';
import type { Grant } from '../../domain/grant.ts';
import type { ElevationRequest } from '../../domain/request.ts';
import type { ScopeDefinition } from '../../domain/scope.ts';
import type { RequestView } from '../../ports/chat-platform.ts';
import type { GrantResource, GrantSummary, RequestResource, ScopeResource } from './schemas.ts';

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
  };
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
  };
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
  return rules;
}
