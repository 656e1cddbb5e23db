import { addSeconds } from '../domain/clock.ts';
import { formatDuration, parseDuration } from '../domain/duration.ts';
import { ElevateError } from '../domain/errors.ts';
import { checkExtension } from '../domain/extension.ts';
import type { Grant } from '../domain/grant.ts';
import type { PolicyDecision } from '../domain/policy.ts';
import { newRequest, WAITING_STATUSES, type RequestSource } from '../domain/request.ts';
import { extendPolicyOf } from '../domain/scope.ts';
import { requesterMustVerify } from '../domain/step-up.ts';
import type { StoreReader } from '../ports/store.ts';
import { describeActor, resolveActor, type Actor } from './actor.ts';
import type { CoreDeps } from './deps.ts';
import { validateReason, type RequestElevationResult } from './request-elevation.ts';
import { appendVerificationRequired } from './step-up/verification-required.ts';

export interface RequestExtensionInput {
  actor: Actor;
  grantId: string;
  /** How much longer; omitted: the scope's default duration. */
  duration?: string;
  /** Why; omitted: the reason of the request the grant was issued for. */
  reason?: string;
  source: RequestSource;
}

/** The note of an extension approved without reviewers (`extend.approvals_required: 0`). */
export const AUTOMATIC_EXTENSION_NOTE = 'Extended automatically within the scope’s extend.max_total.';

/** Links followed back to the first grant of an elevation; a chain longer than this is cut there. */
const MAX_CHAIN = 100;

/**
 * The requester of a live grant asks to extend it. The extension is a request of its own
 * (`extendsGrantId`), reviewed in the scope's reviewer channels like a new one (`extend.approvals_required`
 * approvals, or none: approved at once), or verifying first where the scope needs requester MFA.
 * It waits at most until the grant ends: an extension nobody approved in time expires with it,
 * and the grant ends as usual. Nobody but the grant's requester can extend it; one extension
 * waits at a time. A refused extension stores nothing.
 */
export async function requestExtension(deps: CoreDeps, input: RequestExtensionInput): Promise<RequestElevationResult> {
  const { store, clock, ids } = deps;
  const requester = await resolveActor(store, input.actor);
  const grant = await store.getGrant(input.grantId.trim());
  const original = grant ? await store.getRequest(grant.requestId) : null;
  if (!grant || !original) throw new ElevateError('not_found', `There is no grant ${input.grantId.slice(0, 64)}.`, { details: { grantId: input.grantId.slice(0, 64) } });
  if (original.requesterId !== requester.id) {
    throw new ElevateError('forbidden', 'Only the person who holds a grant can extend it.', { details: { grantId: grant.id, actor: requester.id } });
  }
  const scope = await store.getScope(original.scopeName);
  if (!scope) throw new ElevateError('unknown_scope', `Scope ${original.scopeName} no longer exists.`, { details: { grantId: grant.id } });
  const durationSec = input.duration === undefined || input.duration.trim() === '' ? scope.defaultDurationSec : parseDuration(input.duration);
  const reason = validateReason(scope, input.reason === undefined || input.reason.trim() === '' ? original.reason : input.reason);
  const rules = extendPolicyOf(scope);
  const startedAt = await elevationStart(store, grant);

  return store.transaction(async (tx) => {
    await tx.lockPrincipal(requester.id);
    const now = clock.now();
    // Read again under the lock: the grant may have ended, or another extension been asked for.
    const current = (await tx.getGrant(grant.id)) ?? grant;
    const window = checkExtension({ scope, grant: current, elevationStartedAt: startedAt, durationSec, now });
    const waiting = await tx.listRequests({ extendsGrantId: grant.id, statuses: WAITING_STATUSES, limit: 1 });
    if (waiting.length > 0) {
      throw new ElevateError('extension_pending', `An extension of grant ${grant.id} is already waiting (${waiting[0]!.id}); cancel it to ask for another.`, {
        details: { grantId: grant.id, requestId: waiting[0]!.id },
      });
    }
    const automatic = rules.approvalsRequired === 0 || scope.policy.autoApprove;
    if (!automatic && (await tx.listChannelMappings({ scopeName: scope.name })).length === 0) {
      throw new ElevateError('no_reviewer_channel', `Scope ${scope.name} has no reviewer channel, so nobody could approve the extension.`, { details: { scope: scope.name } });
    }
    const verifying = automatic && requesterMustVerify(scope.mfa, requester.kind);
    const request = newRequest(
      { id: ids.requestId(), scope, requester, durationSec, reason, source: input.source, now },
      {
        status: automatic ? (verifying ? 'verifying' : 'auto_approved') : 'pending',
        approvalsRequired: automatic ? 0 : rules.approvalsRequired,
        // An extension cannot outlive the grant it extends: it expires with it at the latest.
        pendingUntil: earliest(addSeconds(now, scope.pendingTtlSec), current.endsAt),
        decidedAt: automatic ? now : null,
        decisionNote: automatic ? AUTOMATIC_EXTENSION_NOTE : null,
        extendsGrantId: grant.id,
      },
    );
    await tx.insertRequest(request);
    await tx.putPrincipal({ ...requester, lastSeenAt: now });
    await tx.appendAudit({
      type: 'request.created',
      actor: requester.id,
      requestId: request.id,
      grantId: grant.id,
      data: {
        scope: scope.name,
        duration: formatDuration(durationSec),
        reason,
        source: input.source,
        extendsGrantId: grant.id,
        endsAt: window.endsAt.toISOString(),
        total: formatDuration(window.totalSec),
        ...describeActor(input.actor),
      },
    });
    const decision: PolicyDecision = automatic ? { outcome: 'auto_approve', rule: 'auto_approve' } : { outcome: 'review', approvalsRequired: request.approvalsRequired };
    if (automatic) {
      await tx.appendAudit({ type: 'request.auto_approved', actor: 'policy', requestId: request.id, data: { rule: rules.approvalsRequired === 0 ? 'extend.approvals_required' : 'auto_approve' } });
      if (verifying) await appendVerificationRequired(tx, request, scope);
    }
    return { request, scope, requester, decision };
  });
}

/**
 * When the elevation a grant belongs to started: the start of the first grant of its chain of
 * extensions (each extension's request names the grant it extends).
 */
export async function elevationStart(store: StoreReader, grant: Grant): Promise<Date> {
  let current = grant;
  for (let hop = 0; hop < MAX_CHAIN; hop += 1) {
    const request = await store.getRequest(current.requestId);
    const previous = request?.extendsGrantId ? await store.getGrant(request.extendsGrantId) : null;
    if (!previous) break;
    current = previous;
  }
  return current.startsAt;
}

function earliest(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}
