import { addSeconds } from '../domain/clock.ts';
import type { GrantDeps } from './deps.ts';
import type { SweepOptions } from './sweep.ts';

/**
 * An `issuing` grant that has waited longer than any exchange could take was interrupted by a
 * crash between the exchange and its recording. Its token (if the AS minted one) was never
 * seen, so it cannot be revoked by value; the exchange asked for a lifetime no longer than the
 * approved window, so it dies with the window. The grant is marked failed so the request is not
 * granted twice and people can see what happened.
 */
export async function markInterruptedIssues(deps: GrantDeps, options: Pick<SweepOptions, 'issuingStaleSec'>): Promise<number> {
  const staleBefore = addSeconds(deps.clock.now(), -options.issuingStaleSec);
  const issuing = await deps.store.listGrants({ statuses: ['issuing'], limit: 500 });
  let marked = 0;
  for (const grant of issuing) {
    if (grant.startsAt.getTime() > staleBefore.getTime() && grant.endsAt.getTime() > deps.clock.now().getTime()) continue;
    const changed = await deps.store.transaction(async (tx) => {
      if (!(await tx.updateGrant(grant.id, 'issuing', { status: 'issue_failed', lastError: 'interrupted' }))) return false;
      await tx.appendAudit({ type: 'grant.issue_failed', actor: 'system', requestId: grant.requestId, grantId: grant.id, data: { error: 'interrupted' } });
      return true;
    });
    if (changed) {
      marked += 1;
      deps.logger.warn({ grant_id: grant.id }, 'token exchange was interrupted (crash or restart); grant marked failed');
    }
  }
  return marked;
}
