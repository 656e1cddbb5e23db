import { Worker } from 'node:worker_threads';
import { messages, type PGlite, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';

type Parsers = NonNullable<QueryOptions['parsers']>;
interface Answer {
  id: number;
  result?: unknown;
  error?: { message: string; kind?: string; stack?: string; fields?: Record<string, string | number> };
}

/**
 * The embedded database (PGlite) on a worker thread of its own, behind the part of PGlite's
 * interface that the Prisma driver adapter uses: `query`, `exec`, `transaction`, `close`.
 *
 * PGlite is PostgreSQL compiled to WebAssembly, and every statement it runs holds the thread
 * that called it. In the service's own thread a sweep's batch statements stopped everything
 * else, HTTP included, for tens of milliseconds at a time (and took about a third of the
 * sweeper's processor time per revoked grant); here they run beside it. Rows cross the thread
 * boundary as structured clones.
 *
 * Semantics are PGlite's own: one statement at a time, and a transaction has the database to
 * itself (statements from outside it wait until it ends). Errors from PostgreSQL arrive as
 * PGlite's `DatabaseError`, with every field, so the driver adapter maps them as before.
 */
export class PGliteInWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  private nextId = 1;
  /** Ends when the current transaction (or top-level statement) does; the next one waits for it. */
  private turn: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  readonly waitReady: Promise<void>;

  /**
   * `dataDir` null: in memory only. `template`: a data directory dumped by PGlite's
   * `dumpDataDir('none')` to start from (tests start from a migrated one).
   */
  constructor(options: { dataDir: string | null; template?: Uint8Array }) {
    this.worker = new Worker(new URL('./pglite-thread.mjs', import.meta.url), { workerData: { dataDir: options.dataDir, template: options.template } });
    this.worker.on('message', (answer: Answer) => this.settle(answer));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the embedded database's thread exited (code ${code})`)));
    this.worker.unref();
    this.waitReady = this.call<void>({ op: 'ready' });
  }

  /** The adapter's view: what it calls is what is implemented here. */
  asPGlite(): PGlite {
    return this as unknown as PGlite;
  }

  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.exclusively(() => this.runQuery<T>(sql, params, options));
  }

  exec(sql: string): Promise<Results[]> {
    return this.exclusively(() => this.call<Results[]>({ op: 'exec', sql }));
  }

  /** BEGIN, the callback's statements, then COMMIT (or ROLLBACK if it throws or rolls back). */
  transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.exclusively(async () => {
      await this.call({ op: 'exec', sql: 'BEGIN' });
      let closed = false;
      const tx = {
        query: <R>(sql: string, params?: unknown[], options?: QueryOptions) => this.runQuery<R>(sql, params, options),
        sql: () => Promise.reject(new Error('tagged templates are not supported on this connection')),
        exec: (sql: string) => this.call<Results[]>({ op: 'exec', sql }),
        rollback: async () => {
          if (closed) return;
          closed = true;
          await this.call({ op: 'exec', sql: 'ROLLBACK' });
        },
        listen: () => Promise.reject(new Error('LISTEN is not supported on this connection')),
        get closed() {
          return closed;
        },
      } as unknown as Transaction;
      try {
        const result = await callback(tx);
        if (!closed) {
          closed = true;
          await this.call({ op: 'exec', sql: 'COMMIT' });
        }
        return result;
      } catch (error) {
        if (!closed) {
          closed = true;
          await this.call({ op: 'exec', sql: 'ROLLBACK' }).catch(() => undefined);
        }
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    if (this.failure) return;
    await this.exclusively(() => this.call({ op: 'close' }));
    this.failure = new Error('the embedded database is closed');
    await this.worker.terminate();
  }

  private async runQuery<T>(sql: string, params: unknown[] = [], options: QueryOptions = {}): Promise<Results<T>> {
    const parsers: Parsers = options.parsers ?? {};
    const rawTypes = Object.keys(parsers).map(Number);
    const results = await this.call<Results<T>>({ op: 'query', sql, params, rowMode: options.rowMode ?? 'object', rawTypes });
    if (rawTypes.length > 0) parseColumns(results as Results<unknown>, parsers);
    return results;
  }

  private exclusively<T>(work: () => Promise<T>): Promise<T> {
    const result = this.turn.then(work);
    this.turn = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private call<T>(request: Record<string, unknown>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      // Like a socket with a request on it: the thread keeps the process alive only while it is
      // answering something, so a finished program can exit without closing the store first.
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, ...request });
    });
  }

  private settle(answer: Answer): void {
    const waiting = this.pending.get(answer.id);
    if (!waiting) return;
    this.pending.delete(answer.id);
    if (this.pending.size === 0) this.worker.unref();
    if (answer.error) waiting.reject(rebuildError(answer.error));
    else waiting.resolve(answer.result);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

/** Applies the caller's parsers to the columns the thread left as text. */
function parseColumns(results: Results<unknown>, parsers: Parsers): void {
  const columns = results.fields.map((field, index) => ({ index, name: field.name, parse: parsers[field.dataTypeID], type: field.dataTypeID })).filter((c) => c.parse !== undefined);
  if (columns.length === 0) return;
  for (const row of results.rows as (unknown[] | Record<string, unknown>)[]) {
    for (const { index, name, parse, type } of columns) {
      const key = Array.isArray(row) ? index : name;
      const value = (row as Record<string | number, unknown>)[key];
      if (value !== null && value !== undefined) (row as Record<string | number, unknown>)[key] = (parse as (text: string, typeId: number) => unknown)(value as string, type);
    }
  }
}

function rebuildError(described: NonNullable<Answer['error']>): Error {
  const error = described.kind === 'DatabaseError' ? new messages.DatabaseError(described.message, 0, 'error') : new Error(described.message);
  Object.assign(error, described.fields);
  if (described.stack) error.stack = described.stack;
  return error;
}
