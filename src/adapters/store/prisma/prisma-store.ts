import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { AuditKey } from '../../../domain/audit.ts';
import type { Clock } from '../../../domain/clock.ts';
import { PrismaClient } from '../../../generated/prisma/client.ts';
import type { DueGrantLocks } from '../../../ports/due-grants.ts';
import type { Metrics } from '../../../ports/metrics.ts';
import type { Store, StoreHealth, StoreTx } from '../../../ports/store.ts';
import { translateStoreError } from './errors.ts';
import { readMigrationState } from './pending-migrations.ts';
import { PrismaReader } from './prisma-reader.ts';
import { PrismaTx } from './prisma-tx.ts';

export interface PrismaStoreOptions {
  /** PGlite or PostgreSQL, as a Prisma driver adapter. */
  adapter: SqlDriverAdapterFactory;
  /** Stamps audit records. */
  clock: Clock;
  /** Keys new audit records (HMAC-SHA256); null: plain SHA-256. */
  auditKey?: AuditKey | null;
  /** Names of the migrations this build ships; `health()` is not ok until all are applied. */
  expectedMigrations: readonly string[];
  /** Releases what the adapter does not own (e.g. the PGlite instance), after the client disconnects. */
  onClose?: () => Promise<void>;
  /**
   * How long a transaction may wait to start, and run. Generous, because writers of one request
   * queue on its row lock and every audit append queues on the chain's head: 20 approvers clicking
   * at once, or an embedded PGlite (one connection), run their transactions one after another.
   */
  transactionTimeouts?: { maxWaitMs: number; timeoutMs: number };
  /** Counts the audit records each committed transaction appended. */
  metrics?: Metrics;
}

const DEFAULT_TIMEOUTS = { maxWaitMs: 30_000, timeoutMs: 30_000 };

/**
 * The production {@link Store}: Prisma Client 7 over a driver adapter, for PostgreSQL and PGlite
 * alike. Reads outside a transaction use the base client; each transaction is one interactive
 * Prisma transaction.
 *
 * On PGlite there is a single connection, so transactions run one at a time and a read through
 * the store (not the `tx`) from inside a transaction waits for that transaction to end, i.e.
 * forever until the timeout. Inside a transaction, read through `tx`.
 */
export class PrismaStore extends PrismaReader implements Store {
  private readonly client: PrismaClient;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: PrismaStoreOptions) {
    const client = new PrismaClient({ adapter: options.adapter });
    super(client);
    this.client = client;
  }

  async transaction<T>(work: (tx: StoreTx & DueGrantLocks) => Promise<T>): Promise<T> {
    const { maxWaitMs, timeoutMs } = this.options.transactionTimeouts ?? DEFAULT_TIMEOUTS;
    let tx: PrismaTx | undefined;
    try {
      const result = await this.client.$transaction((db) => work((tx = new PrismaTx(db, this.options.clock, this.options.auditKey ?? null))), { maxWait: maxWaitMs, timeout: timeoutMs });
      if (tx && tx.auditAppended > 0) this.options.metrics?.auditAppended(tx.auditAppended);
      return result;
    } catch (error) {
      throw translateStoreError(error);
    }
  }

  async health(): Promise<StoreHealth> {
    let state;
    try {
      state = await readMigrationState(this.client, this.options.expectedMigrations);
    } catch (error) {
      return { ok: false, reason: 'unreachable', detail: describe(error) };
    }
    if (state.failed.length > 0) return { ok: false, reason: 'migrations_pending', detail: `failed: ${state.failed.join(', ')}` };
    if (state.pending.length > 0) return { ok: false, reason: 'migrations_pending', detail: `not applied: ${state.pending.join(', ')}` };
    return { ok: true };
  }

  /** Idempotent: shutdown paths may call it more than once. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.client.$disconnect();
      await this.options.onClose?.();
    })();
    return this.closing;
  }
}

/** One line about a failure, for a health detail: the message only, which holds no credentials. */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').map((line) => line.trim()).filter(Boolean).slice(-1)[0] ?? 'unknown error';
}
