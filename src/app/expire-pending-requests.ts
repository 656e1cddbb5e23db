import type { ElevationRequest } from '../domain/request.ts';
import type { CoreDeps } from './deps.ts';

/**
 * Expires every pending request whose review window has passed. Each one is a compare-and-set
 * from `pending`, so a review that lands at the same moment wins or loses cleanly, never both.
 * Returns the requests this call expired (for message updates and notices).
 */
export async function expirePendingRequests(deps: Pick<CoreDeps, 'store' | 'clock'>, limit = 500): Promise<ElevationRequest[]> {
  const { store, clock } = deps;
  const now = clock.now();
  const due = await store.listRequests({ statuses: ['pending'], pendingUntilAtOrBefore: now, limit });
  const expired: ElevationRequest[] = [];
  for (const candidate of due) {
    const patch = { status: 'expired' as const, decidedAt: now, decisionNote: 'Nobody reviewed this request in time.' };
    const changed = await store.transaction(async (tx) => {
      if (!(await tx.updateRequest(candidate.id, 'pending', patch))) return false;
      await tx.appendAudit({ type: 'request.expired', actor: 'system', requestId: candidate.id, data: { pendingUntil: candidate.pendingUntil.toISOString() } });
      return true;
    });
    if (changed) expired.push({ ...candidate, ...patch });
  }
  return expired;
}
