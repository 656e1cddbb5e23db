import type { ElevationRequest } from '../domain/request.ts';
import type { CoreDeps } from './deps.ts';

/** Overdue reviews reminded per sweep, so a backlog cannot make one run go on forever. */
const REMIND_LIMIT = 100;

/**
 * Finds break-glass grants nobody acknowledged or flagged within `review_within` and marks each
 * reminded, once: the mark is a compare-and-set on the reminder not having been sent, so with
 * several instances sweeping at once exactly one of them reminds. Returns the requests this call
 * marked (the caller tells the reviewers).
 */
export async function remindBreakGlassReviews(deps: Pick<CoreDeps, 'store' | 'clock'>): Promise<ElevationRequest[]> {
  const { store, clock } = deps;
  const now = clock.now();
  const overdue = await store.listRequests({ breakGlassOverdueAt: now, limit: REMIND_LIMIT });
  const reminded: ElevationRequest[] = [];
  for (const request of overdue) {
    const marked = await store.transaction(async (tx) => {
      if (!(await tx.markBreakGlassReminded(request.id, now))) return false;
      await tx.appendAudit({ type: 'break_glass.reminded', actor: 'system', requestId: request.id, data: { reviewDueAt: request.breakGlass!.dueAt.toISOString() } });
      return true;
    });
    if (marked) reminded.push({ ...request, breakGlass: { ...request.breakGlass!, remindedAt: now } });
  }
  return reminded;
}
