import { WAITING_STATUSES, type ElevationRequest } from '../domain/request.ts';
import type { CoreDeps } from './deps.ts';

/** Why a request that waited for its requester's verification expired (see the state phrase). */
export const VERIFICATION_EXPIRED_NOTE = 'The requester did not verify in time.';

/** Why an extension expired: nobody approved it while its grant still ran (the grant goes on as it was). */
export const EXTENSION_UNREVIEWED_NOTE = 'Nobody approved this extension in time; the grant goes on as it was.';
/** Why an extension expired: the grant it extends ended first (and ended as usual). */
export const EXTENSION_GRANT_ENDED_NOTE = 'The grant it extends ended before the extension was approved.';

/**
 * Expires every waiting request whose window has passed: pending ones nobody reviewed, and
 * approved ones whose requester never verified. Each one is a compare-and-set from the status it
 * was read in, so a review or a verification that lands at the same moment wins or loses
 * cleanly, never both.
 * Returns the requests this call expired (for message updates and notices).
 */
export async function expirePendingRequests(deps: Pick<CoreDeps, 'store' | 'clock'>, limit = 500): Promise<ElevationRequest[]> {
  const { store, clock } = deps;
  const now = clock.now();
  const due = await store.listRequests({ statuses: WAITING_STATUSES, pendingUntilAtOrBefore: now, limit });
  const expired: ElevationRequest[] = [];
  for (const candidate of due) {
    const verifying = candidate.status === 'verifying';
    // A verifying request keeps the moment it was approved; only its status and note change.
    const patch = verifying
      ? { status: 'expired' as const, decisionNote: VERIFICATION_EXPIRED_NOTE }
      : { status: 'expired' as const, decidedAt: now, decisionNote: await unreviewedNote(store, candidate, now) };
    const changed = await store.transaction(async (tx) => {
      if (!(await tx.updateRequest(candidate.id, candidate.status, patch))) return false;
      await tx.appendAudit({ type: 'request.expired', actor: 'system', requestId: candidate.id, data: { pendingUntil: candidate.pendingUntil.toISOString() } });
      return true;
    });
    if (changed) expired.push({ ...candidate, ...patch });
  }
  return expired;
}

async function unreviewedNote(store: CoreDeps['store'], request: ElevationRequest, now: Date): Promise<string> {
  if (request.extendsGrantId === null) return 'Nobody reviewed this request in time.';
  const grant = await store.getGrant(request.extendsGrantId);
  return grant?.status === 'active' && grant.endsAt.getTime() > now.getTime() ? EXTENSION_UNREVIEWED_NOTE : EXTENSION_GRANT_ENDED_NOTE;
}
