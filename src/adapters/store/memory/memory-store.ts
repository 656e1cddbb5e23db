import type { AuditKey } from '../../../domain/audit.ts';
import { AsyncLocalStorage } from 'node:async_hooks';
import { ElevateError } from '../../../domain/errors.ts';
import { systemClock, type Clock } from '../../../domain/clock.ts';
import type { DueGrantLocks } from '../../../ports/due-grants.ts';
import type { Metrics } from '../../../ports/metrics.ts';
import type { Store, StoreHealth, StoreTx } from '../../../ports/store.ts';
import { fencedTx } from './fenced-tx.ts';
import { MemoryReader } from './memory-reader.ts';
import { emptyState, forkState, type MemoryState } from './memory-state.ts';
import { MemoryTx } from './memory-tx.ts';
import { Mutex } from './mutex.ts';

interface Committed {
  state: MemoryState;
  closed: boolean;
}

/** Marks the async context of a running transaction's work. */
interface RunningTransaction {
  active: boolean;
}

/**
 * A {@link Store} held in process memory, for unit tests and nothing else: it passes the same
 * contract suite as the Prisma store, but forgets everything when dropped.
 *
 * Transactions run one at a time, each on a copy of the state that replaces the committed state
 * only when the work returns; a throw drops the copy, so reads never see half a transaction.
 *
 * Inside a transaction's work, using the store itself (instead of the `tx` handle) throws. On the
 * embedded PGlite database, which has one connection, that read or nested transaction would wait
 * for the transaction around it, forever; on PostgreSQL it would miss the transaction's own
 * writes. Failing here lets unit tests catch the mistake.
 */
export class MemoryStore extends MemoryReader implements Store {
  private readonly committed: Committed;
  private readonly mutex = new Mutex();
  private readonly running: AsyncLocalStorage<RunningTransaction>;

  /**
   * @param clock stamps audit records (`at`); defaults to the system clock.
   * @param auditKey keys new audit records (HMAC-SHA256); without one they are plain SHA-256.
   * @param metrics counts the audit records each committed transaction appended.
   */
  constructor(
    private readonly clock: Clock = systemClock,
    private readonly auditKey: AuditKey | null = null,
    private readonly metrics: Metrics | null = null,
  ) {
    const committed: Committed = { state: emptyState(), closed: false };
    const running = new AsyncLocalStorage<RunningTransaction>();
    super(() => {
      assertOpen(committed);
      assertOutside(running, 'read through the store');
      return committed.state;
    });
    this.committed = committed;
    this.running = running;
  }

  async transaction<T>(work: (tx: StoreTx & DueGrantLocks) => Promise<T>): Promise<T> {
    assertOpen(this.committed);
    assertOutside(this.running, 'started another transaction');
    return this.mutex.runExclusive(async () => {
      assertOpen(this.committed);
      const working = forkState(this.committed.state);
      const { tx, end } = fencedTx(new MemoryTx(working, this.clock, this.auditKey));
      const marker: RunningTransaction = { active: true };
      try {
        const result = await this.running.run(marker, () => work(tx));
        const appended = working.audit.length - this.committed.state.audit.length;
        this.committed.state = working;
        if (appended > 0) this.metrics?.auditAppended(appended);
        return result;
      } finally {
        marker.active = false;
        end();
      }
    });
  }

  async health(): Promise<StoreHealth> {
    return this.committed.closed ? { ok: false, reason: 'unreachable', detail: 'the in-memory store is closed' } : { ok: true };
  }

  async close(): Promise<void> {
    this.committed.closed = true;
  }
}

function assertOpen(committed: Committed): void {
  if (committed.closed) throw new ElevateError('store_unavailable', 'The store is closed.');
}

function assertOutside(running: AsyncLocalStorage<RunningTransaction>, what: string): void {
  if (running.getStore()?.active) {
    throw new ElevateError('internal', `A transaction ${what} instead of using its tx handle; on PGlite this waits forever.`);
  }
}
