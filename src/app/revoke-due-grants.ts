import { addSeconds } from '../domain/clock.ts';
import type { Grant } from '../domain/grant.ts';
import { alertIfRevocationOverdue } from './alert-overdue-revocation.ts';
import { describeError } from './describe-error.ts';
import { notifySafely } from './notify-safely.ts';
import { addOutcome, recordRevocationOutcomes, revokeOneAtAuthorizationServer, type RevocationOutcomes } from './revoke-claimed-grants.ts';
import type { SweepDeps, SweepOptions, SweepReport } from './sweep.ts';

/**
 * A pipeline that keeps `concurrency` revocations in flight for as long as grants are due: the
 * next batch is claimed while the current one is still being revoked, so no revocation waits
 * for the slowest one of its batch, and confirmed outcomes are recorded a batch per transaction
 * as each batch fills up, the rest once the revocations have caught up, or sooner when a lease
 * requires it. Claims are leased and disjoint, so overlapping them is safe. A claim that fails
 * (database down) stops further claims; what was already claimed is still revoked and recorded,
 * then the error is thrown.
 *
 * Claims wait while {@link MAX_UNRECORDED_BATCHES} batches of revoked grants are not recorded
 * yet. Without that, when the AS answers faster than the store records (PostgreSQL runs claims on
 * a connection of their own, beside the recording), claims ran ahead of the recording without
 * limit: every grant of a mass expiry could be claimed and revoked before the first batch was
 * recorded, each held in memory with its sealed token meanwhile, and left unrecorded for longer
 * than its lease allows (then another instance may revoke it a second time).
 */
export const MAX_UNRECORDED_BATCHES = 2;

export async function revokeDueGrants(deps: SweepDeps, options: SweepOptions, report: SweepReport): Promise<void> {
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
  /** Claimed grants sent to the AS and not recorded yet (in flight, waiting, or being recorded). */
  let unrecorded = 0;
  const mayClaim = () => !exhausted && queue.length <= options.batchSize / 2 && unrecorded < MAX_UNRECORDED_BATCHES * options.batchSize;
  let completed: RevocationOutcomes = { succeeded: [], failed: [] };
  let earliestLeaseEnd: Date | null = null;
  let recording: Promise<void> = Promise.resolve();
  const recordCompleted = () => {
    const { succeeded, failed } = completed;
    completed = { succeeded: [], failed: [] };
    earliestLeaseEnd = null;
    const record = (outcomes: RevocationOutcomes) =>
      (recording = recording
        .then(() => recordAndReport(deps, options, outcomes, report))
        .then(() => {
          unrecorded -= outcomes.succeeded.length + outcomes.failed.length;
        }));
    for (const part of inBatches(succeeded, options.batchSize)) record({ succeeded: part, failed: [] });
    for (const part of inBatches(failed, options.batchSize)) record({ succeeded: [], failed: part });
  };

  const revokeWhileDue = async () => {
    while (true) {
      if (mayClaim()) void claimMore();
      const grant = queue.shift();
      if (grant === undefined) {
        if (claiming !== null) await claiming;
        else if (exhausted) return;
        else {
          // Claims are held back until what was revoked is recorded: hand it over and wait for it.
          recordCompleted();
          await recording;
        }
        continue;
      }
      // A grant whose lease is running out may be claimed by another instance at any moment;
      // leave it to whoever claims it next rather than revoke it twice at once.
      if (!leaseHolds(deps, grant.nextAttemptAt, options)) continue;
      inFlight += 1;
      unrecorded += 1;
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
      await alertIfRevocationOverdue(deps, result.grant, options);
    }
  }
}
