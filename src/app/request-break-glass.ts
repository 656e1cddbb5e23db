import { addSeconds } from '../domain/clock.ts';
import { formatDuration, parseDuration } from '../domain/duration.ts';
import { ElevateError } from '../domain/errors.ts';
import type { PolicyDecision } from '../domain/policy.ts';
import { newRequest, type RequestSource } from '../domain/request.ts';
import { requesterMustVerify } from '../domain/step-up.ts';
import { describeActor, resolveActor, type Actor } from './actor.ts';
import type { CoreDeps } from './deps.ts';
import { findRequestableScope, refuseUnverifiableRequester, validateReason, type RequestElevationResult } from './request-elevation.ts';
import { appendVerificationRequired } from './step-up/verification-required.ts';

export interface RequestBreakGlassInput {
  actor: Actor;
  scopeName: string;
  duration: string;
  reason: string;
  source: RequestSource;
}

/**
 * Break-glass: a requester takes a scope at once, without approvers, because it cannot wait
 * (production is down at 3 a.m.). Only where the scope allows it (`break_glass.allowed`), only
 * with a reason, at most `break_glass.max_duration`; a scope that needs requester MFA still sends
 * the requester through the `verifying` step first. The request is stored approved by
 * `break-glass` with a review due within `break_glass.review_within`: an eligible approver (never
 * the requester) must acknowledge or flag it afterwards. A refused call stores nothing.
 */
export async function requestBreakGlass(deps: CoreDeps, input: RequestBreakGlassInput): Promise<RequestElevationResult> {
  const { store, clock, ids } = deps;
  const requester = await resolveActor(store, input.actor);
  const scope = await findRequestableScope(store, input.scopeName, requester);
  const rules = scope.breakGlass;
  if (!rules?.allowed) {
    throw new ElevateError('break_glass_not_allowed', `Scope ${scope.name} does not allow break-glass; ask for it the usual way so an approver can say yes.`, { details: { scope: scope.name } });
  }
  refuseUnverifiableRequester(scope, requester);
  const durationSec = parseDuration(input.duration);
  const maxSec = rules.maxDurationSec ?? scope.maxDurationSec;
  if (durationSec > maxSec) {
    throw new ElevateError('duration_too_long', `Break-glass on ${scope.name} lasts at most ${formatDuration(maxSec)}; ask for that or less.`, {
      details: { scope: scope.name, requestedSec: durationSec, maxSec },
    });
  }
  const reason = validateReason(scope, input.reason);

  return store.transaction(async (tx) => {
    await tx.lockPrincipal(requester.id);
    const now = clock.now();
    const verifying = requesterMustVerify(scope.mfa, requester.kind);
    const dueAt = addSeconds(now, rules.reviewWithinSec);
    const request = newRequest(
      { id: ids.requestId(), scope, requester, durationSec, reason, source: input.source, now },
      {
        status: verifying ? 'verifying' : 'auto_approved',
        approvalsRequired: 0,
        decidedAt: now,
        decisionNote: BREAK_GLASS_NOTE,
        breakGlass: { dueAt, remindedAt: null, reviewedAt: null, reviewedBy: null, verdict: null, note: null },
      },
    );
    await tx.insertRequest(request);
    await tx.putPrincipal({ ...requester, lastSeenAt: now });
    await tx.appendAudit({
      type: 'request.created',
      actor: requester.id,
      requestId: request.id,
      data: { scope: scope.name, duration: formatDuration(durationSec), reason, source: input.source, breakGlass: true, ...describeActor(input.actor) },
    });
    await tx.appendAudit({ type: 'break_glass.granted', actor: requester.id, requestId: request.id, data: { reviewDueAt: dueAt.toISOString(), broadcast: rules.broadcast.length } });
    if (verifying) await appendVerificationRequired(tx, request, scope);
    const decision: PolicyDecision = { outcome: 'auto_approve', rule: 'auto_approve' };
    return { request, scope, requester, decision };
  });
}

/** The decision note of a break-glass request. */
export const BREAK_GLASS_NOTE = 'Break-glass: granted without approval, to be reviewed afterwards.';
