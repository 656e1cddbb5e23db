import { addSeconds } from '../domain/clock.ts';
import { newGrant } from '../domain/grant.ts';
import type { ElevationRequest, RequestStatus } from '../domain/request.ts';
import type { LifecycleNotifier } from '../ports/lifecycle-notifier.ts';
import type { GrantDeps } from './deps.ts';
import { describeError } from './describe-error.ts';
import { issueGrant } from './issue-grant.ts';

/**
 * How long after its approval a request is left to the flow that approved it: that flow calls
 * `issueGrant` right after the deciding review commits, so only an approval this old and still
 * without a grant was interrupted (a crash, a restart, the database failing in between).
 */
export const RECONCILE_AFTER_SEC = 30;

/** Approvals handled per sweep, so a backlog cannot make one run go on forever. */
const RECONCILE_LIMIT = 100;

const APPROVED: readonly RequestStatus[] = ['approved', 'auto_approved'];

export interface ReconcileDeps extends GrantDeps {
  notifier: LifecycleNotifier;
}

/**
 * Finds approved (or auto-approved) requests whose grant was never started and starts it, so an
 * approval is never forgotten. Each goes through `issueGrant`, which locks the request and
 * returns the existing grant when there is one: with several instances sweeping at once, or the
 * approving flow finishing late, the token is still exchanged once. An approval whose window has
 * already passed is recorded as a failed grant instead: a token for a window that is over must
 * not be minted. Never throws for one request's failure; returns how many were reconciled.
 */
export async function reconcileApprovedRequests(deps: ReconcileDeps): Promise<number> {
  const now = deps.clock.now();
  const forgotten = await deps.store.listRequests({
    statuses: APPROVED,
    decidedAtOrBefore: addSeconds(now, -RECONCILE_AFTER_SEC),
    withoutGrant: true,
    limit: RECONCILE_LIMIT,
  });
  let reconciled = 0;
  for (const request of forgotten) {
    const log = deps.logger.child({ request_id: request.id });
    try {
      if (await reconcileOne(deps, request)) {
        reconciled += 1;
        log.warn('an approved request had no grant (interrupted after approval); its grant was started by the sweeper');
      }
    } catch (error) {
      log.error({ err: describeError(error) }, 'could not reconcile an approved request without a grant; the next sweep retries');
    }
  }
  return reconciled;
}

async function reconcileOne(deps: ReconcileDeps, request: ElevationRequest): Promise<boolean> {
  const windowEndsAt = addSeconds(request.decidedAt ?? deps.clock.now(), request.durationSec);
  // An extension's window runs from the old grant's end; issueGrant refuses it once that grant has ended.
  if (request.extendsGrantId === null && windowEndsAt.getTime() <= deps.clock.now().getTime()) return recordWindowPassed(deps, request);
  let outcome;
  try {
    outcome = await issueGrant(deps, request.id);
  } catch (error) {
    // issueGrant has recorded the failure on the grant; the requester still has to hear of it.
    await notifySafely(deps, () => deps.notifier.grantIssueFailed(request.id, error));
    return true;
  }
  if (!outcome.created) return false;
  if (outcome.grant.status === 'active') await notifySafely(deps, () => deps.notifier.grantIssued(outcome.grant));
  return true;
}

/** The approved window ended before anyone started the grant: record that, mint nothing. */
async function recordWindowPassed(deps: ReconcileDeps, request: ElevationRequest): Promise<boolean> {
  const recorded = await deps.store.transaction(async (tx) => {
    const locked = await tx.lockRequest(request.id);
    if (!locked || (await tx.getGrantByRequest(request.id))) return null;
    const grant = {
      ...newGrant({ id: deps.ids.grantId(), requestId: request.id, startsAt: locked.decidedAt ?? deps.clock.now(), durationSec: locked.durationSec }),
      status: 'issue_failed' as const,
      lastError: 'window_passed',
    };
    await tx.insertGrant(grant);
    await tx.appendAudit({ type: 'grant.issue_failed', actor: 'system', requestId: request.id, grantId: grant.id, data: { error: 'window_passed' } });
    return grant;
  });
  if (!recorded) return false;
  await notifySafely(deps, () => deps.notifier.grantIssueFailed(request.id, null));
  return true;
}

async function notifySafely(deps: ReconcileDeps, send: () => Promise<void>): Promise<void> {
  try {
    await send();
  } catch (error) {
    deps.logger.warn({ err: describeError(error) }, 'could not deliver a notice; the state change itself is recorded');
  }
}
