import type { AuditRecord } from '../domain/audit.ts';
import type { AuditStreamState } from '../domain/audit-stream.ts';
import { backoffDelayMs } from '../domain/backoff.ts';
import type { Clock } from '../domain/clock.ts';
import type { Logger } from '../logging/logger.ts';
import type { AuditSink } from '../ports/audit-sink.ts';
import type { Store } from '../ports/store.ts';

export interface StreamAuditDeps {
  store: Store;
  clock: Clock;
  sink: AuditSink;
  logger: Logger;
  /** Jitter of the backoff; injected so tests can pin it. */
  random?: () => number;
}

export interface StreamAuditOptions {
  /** The stream's name in the store (one cursor per stream). */
  stream: string;
  /** This instance, as named on the lease. */
  holder: string;
  batchSize: number;
  /**
   * How long a lease lasts from each renewal. It must outlast one delivery (the sink's timeout)
   * with room for clock skew between instances, or a second instance could take the stream over
   * while a batch is still in flight: use at least three times the sink's timeout.
   */
  leaseMs: number;
  /**
   * The longest one delivery may take (the sink's timeout). A batch is sent only while the lease
   * has at least twice this left; a run that finds less (a slow read) ends, and the next renews.
   */
  deliveryTimeoutMs: number;
  backoff: { baseMs: number; maxMs: number };
}

export type StreamAuditOutcome =
  /** Everything up to the head was acknowledged. */
  | 'caught_up'
  /** Another instance holds the lease: it sends, this one does not. */
  | 'held_elsewhere'
  /** The last delivery failed and its backoff is not over. */
  | 'backing_off'
  /** A delivery failed now; the cursor stays, the next attempt is after `nextAttemptAt`. */
  | 'failed'
  /** The lease was taken over while a batch was in flight (it will be sent again: at least once). */
  | 'lease_lost'
  /** Stopped by the signal (shutdown); an interrupted batch is sent again later. */
  | 'stopped'
  /** The records after the cursor are not consecutive: nothing is sent past a gap. */
  | 'gap'
  /** Too little of the lease was left to send a batch safely; the next run renews it. */
  | 'lease_short';

export interface StreamAuditReport {
  outcome: StreamAuditOutcome;
  /** Records acknowledged in this run, and in how many batches. */
  sent: number;
  batches: number;
  cursorSeq: number | null;
  nextAttemptAt: Date | null;
}

/**
 * One run of the audit stream: take (or renew) the stream's lease, then, batch after batch,
 * read the records after the cursor, deliver them, and move the cursor to the last one — only
 * when the receiver acknowledged the batch. It ends when the stream has caught up, a delivery
 * failed (the failure and its backoff are stored, so restarts and other instances honour them),
 * or another instance holds the lease.
 *
 * At least once: the cursor is moved after the acknowledgement, so a crash or a timeout between
 * the two sends that one batch again, and nothing else. In order: records are appended under the
 * chain head's lock, which is held until commit, so the records any reader sees are always
 * `1..head` without holes; batches are consecutive and each starts right after the cursor.
 * One sender: each batch is sent under a lease renewed just before it and longer than a delivery
 * may take.
 */
export async function streamAuditRecords(deps: StreamAuditDeps, options: StreamAuditOptions, signal?: AbortSignal): Promise<StreamAuditReport> {
  const log = deps.logger.child({ component: 'audit-stream' });
  let sent = 0;
  let batches = 0;
  const report = (outcome: StreamAuditOutcome, state: AuditStreamState | null, nextAttemptAt: Date | null = null): StreamAuditReport => ({
    outcome,
    sent,
    batches,
    cursorSeq: state?.cursorSeq ?? null,
    nextAttemptAt,
  });

  for (;;) {
    if (signal?.aborted) return report('stopped', null);
    const now = deps.clock.now();
    const state = await deps.store.transaction((tx) =>
      tx.leaseAuditStream({ name: options.stream, holder: options.holder, now, leaseUntil: new Date(now.getTime() + options.leaseMs) }),
    );
    if (!state) return report('held_elsewhere', null);
    if (state.nextAttemptAt && state.nextAttemptAt.getTime() > now.getTime()) return report('backing_off', state, state.nextAttemptAt);

    const records = await deps.store.listAudit(state.cursorSeq, options.batchSize);
    if (records.length === 0) return report('caught_up', state);
    if (!consecutiveAfter(state.cursorSeq, records)) {
      log.error({ cursor_seq: state.cursorSeq, first_seq: records[0]!.seq }, 'audit stream: the records after the cursor are not consecutive; nothing is sent past the gap (run `npm run audit -- verify`)');
      return report('gap', state);
    }

    const leaseLeftMs = state.leaseUntil!.getTime() - deps.clock.now().getTime();
    if (leaseLeftMs < 2 * options.deliveryTimeoutMs) return report('lease_short', state);

    const range = { first_seq: records[0]!.seq, last_seq: records.at(-1)!.seq, attempt: state.attempts + 1 };
    const delivery = await deps.sink.deliver(records, signal);
    if (signal?.aborted) return report('stopped', state);

    if (delivery.ok) {
      const lastSeq = records.at(-1)!.seq;
      const advanced = await deps.store.transaction((tx) =>
        tx.advanceAuditStream({ name: options.stream, holder: options.holder, fromSeq: state.cursorSeq, toSeq: lastSeq, deliveredAt: deps.clock.now() }),
      );
      if (!advanced) {
        log.warn(range, 'audit stream: the lease was taken over while a batch was in flight; the other instance sends it again');
        return report('lease_lost', state);
      }
      if (state.attempts > 0) log.info({ ...range, status: delivery.status, failed_attempts: state.attempts }, `audit stream: ${deps.sink.description} acknowledged again after ${state.attempts} failed attempt(s)`);
      log.debug({ ...range, status: delivery.status }, 'audit stream: batch acknowledged');
      sent += records.length;
      batches += 1;
      if (records.length < options.batchSize) return report('caught_up', { ...state, cursorSeq: lastSeq });
      continue;
    }

    const attempts = state.attempts + 1;
    const retryInMs = backoffDelayMs(attempts, { ...options.backoff, random: deps.random });
    const nextAttemptAt = new Date(deps.clock.now().getTime() + retryInMs);
    await deps.store.transaction((tx) => tx.deferAuditStream({ name: options.stream, holder: options.holder, attempts, nextAttemptAt }));
    // Status and range only: never the body (the receiver's answer is not read at all).
    log.warn(
      { ...range, status: delivery.status, problem: delivery.problem, retry_in_ms: retryInMs },
      `audit stream: ${deps.sink.description} did not acknowledge records ${range.first_seq}–${range.last_seq} (${delivery.status ?? delivery.problem}); retrying in ${Math.round(retryInMs / 1000)} s`,
    );
    return report('failed', state, nextAttemptAt);
  }
}

/**
 * Ends this instance's lease (clean shutdown), so another instance takes the stream over at its
 * next run instead of after the lease runs out.
 */
export async function releaseAuditStream(deps: Pick<StreamAuditDeps, 'store' | 'clock'>, options: Pick<StreamAuditOptions, 'stream' | 'holder'>): Promise<boolean> {
  return deps.store.transaction((tx) => tx.releaseAuditStream({ name: options.stream, holder: options.holder, now: deps.clock.now() }));
}

function consecutiveAfter(cursorSeq: number, records: readonly AuditRecord[]): boolean {
  return records.every((record, i) => record.seq === cursorSeq + 1 + i);
}
