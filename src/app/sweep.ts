import type { LifecycleNotifier } from '../ports/lifecycle-notifier.ts';
import type { GrantDeps } from './deps.ts';
import { expirePendingRequests } from './expire-pending-requests.ts';
import { markInterruptedIssues } from './mark-interrupted-issues.ts';
import { notifySafely } from './notify-safely.ts';
import { revokeDueGrants } from './revoke-due-grants.ts';
import { reconcileApprovedRequests } from './reconcile-approved-requests.ts';
import { remindAndEscalate } from './remind-and-escalate.ts';
import { remindBreakGlassReviews } from './remind-break-glass-reviews.ts';

export interface SweepOptions {
  /** Grants claimed per transaction. */
  batchSize: number;
  /** Revocation calls in flight at once. */
  concurrency: number;
  /** How long a claimed grant is reserved for this instance before another may retry it. */
  leaseSec: number;
  /** Alert when a grant is still not revoked this long after its end. */
  overdueAlertSec: number;
  /** An `issuing` grant older than this was interrupted (crash during the exchange). */
  issuingStaleSec: number;
  /** Upper bound of grants handled in one run, so one run cannot go on forever. */
  maxGrantsPerRun: number;
}

export const DEFAULT_SWEEP_OPTIONS: SweepOptions = {
  batchSize: 500,
  concurrency: 64,
  leaseSec: 60,
  overdueAlertSec: 300,
  issuingStaleSec: 300,
  maxGrantsPerRun: 100_000,
};

export interface SweepReport {
  expiredRequests: number;
  /** Pending requests whose reviewers got their one reminder in this run. */
  remindedRequests: number;
  /** Pending requests escalated (posted further, more approvers eligible) in this run. */
  escalatedRequests: number;
  /** Break-glass grants whose review became overdue in this run (each reminded once, whatever the instance). */
  breakGlassReminders: number;
  revoked: number;
  revocationPending: number;
  interruptedIssues: number;
  /** Revocation lag of each grant revoked in this run, in milliseconds. */
  lagsMs: number[];
  /** When the next active grant ends (after this run), so a scheduler can wake up right then. */
  nextGrantEndsAt: Date | null;
}

export type SweepDeps = GrantDeps & { notifier: LifecycleNotifier };

/**
 * One run of the sweeper: expire unreviewed requests, remind and escalate undecided ones, revoke every grant past its end (and retry
 * those whose revocation failed before), and mark exchanges interrupted by a crash. Each grant is
 * claimed under a lease, so several instances share the work without revoking one grant twice at
 * once and without skipping any. Never throws for one grant's failure: it stays due and is retried.
 */
export async function sweepOnce(deps: SweepDeps, options: SweepOptions = DEFAULT_SWEEP_OPTIONS): Promise<SweepReport> {
  const report: SweepReport = { expiredRequests: 0, remindedRequests: 0, escalatedRequests: 0, breakGlassReminders: 0, revoked: 0, revocationPending: 0, interruptedIssues: 0, lagsMs: [], nextGrantEndsAt: null };

  for (const request of await expirePendingRequests(deps)) {
    report.expiredRequests += 1;
    await notifySafely(deps, 'requestExpired', () => deps.notifier.requestExpired(request));
  }

  for (const { kind, request } of await remindAndEscalate(deps)) {
    if (kind === 'reminded') {
      report.remindedRequests += 1;
      await notifySafely(deps, 'requestReminded', () => deps.notifier.requestReminded(request));
    } else {
      report.escalatedRequests += 1;
      await notifySafely(deps, 'requestEscalated', () => deps.notifier.requestEscalated(request));
    }
  }

  for (const request of await remindBreakGlassReviews(deps)) {
    report.breakGlassReminders += 1;
    await notifySafely(deps, 'breakGlassReviewOverdue', () => deps.notifier.breakGlassReviewOverdue(request));
  }

  await revokeDueGrants(deps, options, report);

  report.interruptedIssues = await markInterruptedIssues(deps, options);
  await reconcileApprovedRequests(deps);
  const [nextToEnd] = await deps.store.listGrants({ statuses: ['active'], limit: 1 });
  report.nextGrantEndsAt = nextToEnd?.endsAt ?? null;
  return report;
}
