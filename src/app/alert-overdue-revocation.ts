import type { Grant } from '../domain/grant.ts';
import { notifySafely } from './notify-safely.ts';
import type { SweepDeps, SweepOptions } from './sweep.ts';

/**
 * Raises the alarm for a grant still not revoked `overdueAlertSec` after its end: an error log
 * line with `alert: revocation_overdue` for the operators' alerting, and a notice to the people
 * concerned. The sweeper keeps retrying the revocation either way.
 */
export async function alertIfRevocationOverdue(deps: SweepDeps, grant: Grant, options: Pick<SweepOptions, 'overdueAlertSec'>): Promise<void> {
  const overdueMs = deps.clock.now().getTime() - grant.endsAt.getTime();
  if (overdueMs < options.overdueAlertSec * 1000) return;
  deps.logger.error(
    { grant_id: grant.id, request_id: grant.requestId, overdue_ms: overdueMs, attempts: grant.revokeAttempts, last_error: grant.lastError, alert: 'revocation_overdue' },
    'ALERT: grant is past its end and still not revoked at the authorization server',
  );
  await notifySafely(deps, 'revocationOverdue', () => deps.notifier.revocationOverdue(grant));
}
