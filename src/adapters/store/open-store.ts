import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import type { AuditKey } from '../../domain/audit.ts';
import { systemClock, type Clock } from '../../domain/clock.ts';
import { ElevateError, isElevateError } from '../../domain/errors.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { Store } from '../../ports/store.ts';
import { describeDatabaseUrl } from './describe-database-url.ts';
import { PGliteInWorker } from './pglite-in-worker.ts';
import { lockDataDir } from './pglite-lock.ts';
import { applyMigrations } from './prisma/migrate.ts';
import { readMigrations } from './prisma/migrations-dir.ts';
import { pgliteAdapterFactory } from './prisma/pglite-adapter.ts';
import { PrismaStore } from './prisma/prisma-store.ts';

export interface OpenStoreOptions {
  /** PostgreSQL, shared by every instance. Without it, an embedded PGlite database is used. */
  databaseUrl?: string;
  /** Where the embedded database keeps its files (in `<dataDir>/pglite`). */
  dataDir: string;
  logger: Logger;
  /** Stamps audit records; defaults to the system clock. */
  clock?: Clock;
  /** Keys new audit records with HMAC-SHA256 (the newest configured audit key); null: plain SHA-256. */
  auditKey?: AuditKey | null;
  /** Embedded database in memory only (tests, demos): nothing is written to `dataDir`. */
  inMemory?: boolean;
  /** Counts committed audit records. */
  metrics?: Metrics;
}

export interface OpenedStore {
  store: Store;
  kind: 'postgresql' | 'pglite';
  /** Where the data lives, safe to log: never contains a password. */
  description: string;
  /** Migrations applied by this call (empty when the database was up to date). */
  appliedMigrations: string[];
}

/**
 * Opens the store the configuration asks for and brings its schema up to date first, so nothing
 * ever runs against a database that lacks a table it needs.
 */
export async function openStore(options: OpenStoreOptions): Promise<OpenedStore> {
  const clock = options.clock ?? systemClock;
  const expectedMigrations = (await readMigrations()).migrationDirectories.map((m) => m.path);
  const log = migrationLog(options.logger);

  if (options.databaseUrl) {
    const description = describeDatabaseUrl(options.databaseUrl);
    const appliedMigrations = await migratePostgres(options.databaseUrl, log).catch((error: unknown) => {
      throw withDatabase(description, error);
    });
    const adapter = new PrismaPg({ connectionString: options.databaseUrl });
    const store = new PrismaStore({ adapter, clock, auditKey: options.auditKey ?? null, expectedMigrations, metrics: options.metrics });
    return { store, kind: 'postgresql', description, appliedMigrations };
  }

  const location = options.inMemory ? null : path.join(options.dataDir, 'pglite');
  const { pglite, release } = await openPGlite(location);
  try {
    const adapter = pgliteAdapterFactory(pglite.asPGlite());
    const appliedMigrations = await applyMigrations(adapter, { log });
    const store = new PrismaStore({
      adapter,
      clock,
      auditKey: options.auditKey ?? null,
      expectedMigrations,
      metrics: options.metrics,
      onClose: async () => {
        await pglite.close();
        await release();
      },
    });
    return { store, kind: 'pglite', description: location ?? '(in memory)', appliedMigrations };
  } catch (error) {
    await pglite.close().catch(() => undefined);
    await release();
    throw error;
  }
}

/** The embedded database runs on a thread of its own: see {@link PGliteInWorker}. */
async function openPGlite(location: string | null): Promise<{ pglite: PGliteInWorker; release: () => Promise<void> }> {
  if (location === null) {
    const pglite = new PGliteInWorker({ dataDir: null });
    await pglite.waitReady;
    return { pglite, release: async () => undefined };
  }
  await mkdir(location, { recursive: true });
  const release = await lockDataDir(location);
  const pglite = new PGliteInWorker({ dataDir: location });
  try {
    await pglite.waitReady;
    return { pglite, release };
  } catch (error) {
    await pglite.close().catch(() => undefined);
    await release();
    throw error;
  }
}

/**
 * Migrations go through one dedicated connection: the schema engine holds a session-level
 * advisory lock while it migrates (so instances starting together take turns), and a session
 * lock only means something if every statement runs in that same session.
 */
async function migratePostgres(databaseUrl: string, log: (line: string) => void): Promise<string[]> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    return await applyMigrations(new PrismaPg(pool) as SqlMigrationAwareDriverAdapterFactory, { log });
  } finally {
    await pool.end();
  }
}

/** Names the database in the error, so the operator knows which URL to check. */
function withDatabase(description: string, error: unknown): unknown {
  if (!isElevateError(error)) return error;
  return new ElevateError(error.code, `${error.message} (database: ${description})`, {
    cause: error.cause,
    retryable: error.retryable,
    details: { ...error.details, database: description },
  });
}

/** The schema engine logs JSON lines; they go to the debug level, applied migrations to info. */
function migrationLog(logger: Logger): (line: string) => void {
  return (line) => {
    try {
      const entry = JSON.parse(line) as { fields?: { message?: string; script?: unknown } };
      const message = entry.fields?.message ?? line;
      if (message.startsWith('Applying')) logger.info(`migrations: ${message}`);
      else logger.debug({ migration_engine: entry.fields }, `migrations: ${message}`);
    } catch {
      logger.debug(`migrations: ${line.trim()}`);
    }
  };
}
