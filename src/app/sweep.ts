import { addSeconds } from '../domain/clock.ts';
import type { Grant } from '../domain/grant.ts';
import type { LifecycleNotifier } from '../ports/lifecycle-notifier.ts';
import type { GrantDeps } from './deps.ts';
import { expirePendingRequests } from './expire-pending-requests.ts';
import { reconcileApprovedRequests } from './reconcile-approved-requests.ts';
import { describeError } from './describe-error.ts';
import { addOutcome, recordRevocationOutcomes, revokeOneAtAuthorizationServer, type RevocationOutcomes } from './revoke-claimed-grants.ts';

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
 * One run of the sweeper: expire unreviewed requests, revoke every grant past its end (and retry
 * those whose revocation failed before), and mark exchanges interrupted by a crash. Each grant is
 * claimed under a lease, so several instances share the work without revoking one grant twice at
 * once and without skipping any. Never throws for one grant's failure: it stays due and is retried.
 */
export async function sweepOnce(deps: SweepDeps, options: SweepOptions = DEFAULT_SWEEP_OPTIONS): Promise<SweepReport> {
  const report: SweepReport = { expiredRequests: 0, revoked: 0, revocationPending: 0, interruptedIssues: 0, lagsMs: [], nextGrantEndsAt: null };

  for (const request of await expirePendingRequests(deps)) {
    report.expiredRequests += 1;
    await notifySafely(deps, 'requestExpired', () => deps.notifier.requestExpired(request));
  }

  await revokeDueGrants(deps, options, report);

  report.interruptedIssues = await markInterruptedIssues(deps, options);
  await reconcileApprovedRequests(deps);
  const [nextToEnd] = await deps.store.listGrants({ statuses: ['active'], limit: 1 });
  report.nextGrantEndsAt = nextToEnd?.endsAt ?? null;
  return report;
}

/**
 * A pipeline that keeps `concurrency` revocations in flight for as long as grants are due: the
 * next batch is claimed while the current one is still being revoked, so no revocation waits
 * for the slowest one of its batch, and confirmed outcomes are recorded a batch per transaction
 * as each batch fills up, the rest once the revocations have caught up, or sooner when a lease
 * requires it. Claims are leased and disjoint, so overlapping them is safe. A claim that fails
 * (database down) stops further claims; what was already claimed is still revoked and recorded,
 * then the error is thrown.
 */
async function revokeDueGrants(deps: SweepDeps, options: SweepOptions, report: SweepReport): Promise<void> {
  const queue: Grant[] = [];
  let claimedSoFar = 0;
  let exhausted = false;
  let claimFailure: { error: unknown } | undefined;
  let claiming: Promise<void> | null = null;
  const claimMore = (): Promise<void> =>
    (claiming ??= claimDueGrants(deps, options)
      .then(
        (batch) => {
          queue.push(...batch);
          claimedSoFar += batch.length;
          if (batch.length < options.batchSize || claimedSoFar >= options.maxGrantsPerRun) exhausted = true;
        },
        (error: unknown) => {
          claimFailure = { error };
          exhausted = true;
        },
      )
      .finally(() => {
        claiming = null;
      }));

  let inFlight = 0;
  let completed: RevocationOutcomes = { succeeded: [], failed: [] };
  let earliestLeaseEnd: Date | null = null;
  let recording: Promise<void> = Promise.resolve();
  const recordCompleted = () => {
    const { succeeded, failed } = completed;
    completed = { succeeded: [], failed: [] };
    earliestLeaseEnd = null;
    const record = (outcomes: RevocationOutcomes) => (recording = recording.then(() => recordAndReport(deps, options, outcomes, report)));
    for (const part of inBatches(succeeded, options.batchSize)) record({ succeeded: part, failed: [] });
    for (const part of inBatches(failed, options.batchSize)) record({ succeeded: [], failed: part });
  };

  const revokeWhileDue = async () => {
    while (true) {
      if (!exhausted && queue.length <= options.batchSize / 2) void claimMore();
      const grant = queue.shift();
      if (grant === undefined) {
        if (claiming !== null) await claiming;
        else if (exhausted) return;
        continue;
      }
      // A grant whose lease is running out may be claimed by another instance at any moment;
      // leave it to whoever claims it next rather than revoke it twice at once.
      if (!leaseHolds(deps, grant.nextAttemptAt, options)) continue;
      inFlight += 1;
      const outcome = await revokeOneAtAuthorizationServer(deps, grant);
      inFlight -= 1;
      addOutcome(completed, outcome); // after the await: `completed` may have been handed to the recorder meanwhile
      if (grant.nextAttemptAt !== null && (earliestLeaseEnd === null || grant.nextAttemptAt < earliestLeaseEnd)) earliestLeaseEnd = grant.nextAttemptAt;
      // Outcomes are recorded a full batch at a time while revocations go on (the store works
      // beside the AS calls: PostgreSQL in its own processes, PGlite on its own thread), and the
      // rest once every due grant has been sent. So state, messages and notices follow the AS
      // within a batch, and a crash mid-way leaves little to redo. And always before half of the
      // earliest lease among them is spent: a revoked grant left unrecorded past its lease would
      // look due again and be revoked a second time.
      const caughtUp = queue.length === 0 && claiming === null && inFlight === 0;
      const fullBatch = completed.succeeded.length + completed.failed.length >= options.batchSize;
      if (caughtUp || fullBatch || !leaseHolds(deps, earliestLeaseEnd, options)) recordCompleted();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, revokeWhileDue));
  recordCompleted();
  await recording;
  const failure = claimFailure as { error: unknown } | undefined; // assigned in a callback, which narrowing cannot see
  if (failure) throw failure.error;
}

function inBatches<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** True while at least half of a lease ending then is left (no lease: nothing to lose). */
function leaseHolds(deps: SweepDeps, leaseEndsAt: Date | null, options: SweepOptions): boolean {
  if (leaseEndsAt === null) return true;
  return leaseEndsAt.getTime() - deps.clock.now().getTime() >= (options.leaseSec * 1000) / 2;
}

/** Claims a batch: leases due grants (skipping others' claims), marking ended ones revoking. */
async function claimDueGrants(deps: SweepDeps, options: SweepOptions): Promise<Grant[]> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const { ending, retrying } = await tx.claimDueGrants({ now, limit: options.batchSize, leaseUntil: addSeconds(now, options.leaseSec) });
    await tx.appendAudits(ending.map((g) => ({ type: 'grant.revoking' as const, actor: 'system', requestId: g.requestId, grantId: g.id, data: { reason: 'expired' } })));
    return [...retrying, ...ending];
  });
}

async function recordAndReport(deps: SweepDeps, options: SweepOptions, outcomes: RevocationOutcomes, report: SweepReport): Promise<void> {
  const results = await recordRevocationOutcomes(deps, outcomes).catch((error: unknown) => {
    // The database failed while recording: the grants stay revoking and come back when their lease ends.
    deps.logger.error({ err: describeError(error), grants: outcomes.succeeded.length + outcomes.failed.length }, 'recording revocations failed; they will be retried');
    return [];
  });
  for (const result of results) {
    if (result.kind === 'revoked') {
      report.revoked += 1;
      report.lagsMs.push(result.grant.revocationLagMs ?? 0);
      await notifySafely(deps, 'grantEnded', () => deps.notifier.grantEnded(result.grant));
    } else if (result.kind === 'revocation_pending') {
      report.revocationPending += 1;
      await alertIfOverdue(deps, result.grant, options);
    }
  }
}

async function alertIfOverdue(deps: SweepDeps, grant: Grant, options: SweepOptions): Promise<void> {
  const overdueMs = deps.clock.now().getTime() - grant.endsAt.getTime();
  if (overdueMs < options.overdueAlertSec * 1000) return;
  deps.logger.error(
    { grant_id: grant.id, request_id: grant.requestId, overdue_ms: overdueMs, attempts: grant.revokeAttempts, last_error: grant.lastError, alert: 'revocation_overdue' },
    'ALERT: grant is past its end and still not revoked at the authorization server',
  );
  await notifySafely(deps, 'revocationOverdue', () => deps.notifier.revocationOverdue(grant));
}

/**
 * An `issuing` grant that has waited longer than any exchange could take was interrupted by a
 * crash between the exchange and its recording. Its token (if the AS minted one) was never
 * seen, so it cannot be revoked by value; the exchange asked for a lifetime no longer than the
 * approved window, so it dies with the window. The grant is marked failed so the request is not
 * granted twice and people can see what happened.
 */
async function markInterruptedIssues(deps: SweepDeps, options: SweepOptions): Promise<number> {
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

async function notifySafely(deps: SweepDeps, what: string, send: () => Promise<void>): Promise<void> {
  try {
    await send();
  } catch (error) {
    deps.logger.warn({ err: describeError(error), notice: what }, 'could not deliver a notice; the state change itself is recorded');
  }
}
