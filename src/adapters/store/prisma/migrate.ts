import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { ElevateError } from '../../../domain/errors.ts';
import { MIGRATIONS_DIR, readMigrations } from './migrations-dir.ts';
import { NO_EXTERNAL_OBJECTS, openSchemaEngine } from './schema-engine.ts';

export interface ApplyMigrationsOptions {
  /** Defaults to this repository's `prisma/migrations`. */
  migrationsDir?: string;
  /** Receives the schema engine's log lines (JSON). */
  log?: (line: string) => void;
}

/**
 * Applies the migrations in `prisma/migrations` that the database has not seen, in order, and
 * returns their names (empty when it was up to date). This is `prisma migrate deploy` run by the
 * WebAssembly schema engine through a driver adapter: the same `_prisma_migrations` bookkeeping
 * (name, SHA-256 checksum of migration.sql, start and finish times), the same advisory lock on
 * PostgreSQL so that instances starting together apply each migration once, and the same refusal
 * to go on past a migration that failed earlier.
 *
 * @throws ElevateError `store_unavailable` (retryable) when the database cannot be reached, and
 *   `internal` when a migration fails or an earlier failure blocks them.
 */
export async function applyMigrations(adapterFactory: SqlMigrationAwareDriverAdapterFactory, options: ApplyMigrationsOptions = {}): Promise<string[]> {
  const migrationsList = await readMigrations(options.migrationsDir ?? MIGRATIONS_DIR);
  // The engine connects as it starts, so starting it can fail like applying can.
  const engine = await openSchemaEngine(adapterFactory, { log: options.log }).catch((error: unknown) => {
    throw migrationError(error);
  });
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_EXTERNAL_OBJECTS });
    return appliedMigrationNames;
  } catch (error) {
    throw migrationError(error);
  } finally {
    engine.free();
  }
}

/**
 * The engine reports a failing migration as a `SchemaConnectorError` (with a `P3…` code when an
 * earlier failure blocks the rest); anything else comes from connecting.
 */
function migrationError(error: unknown): ElevateError {
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  const summary = text.split('\n').map((line) => line.trim()).filter((line) => line && !/^\d+: |^at |^with /.test(line)).slice(0, 2).join(' ');
  if (name === 'SchemaConnectorError' || (typeof code === 'string' && code.startsWith('P3'))) {
    return new ElevateError('internal', `Applying database migrations failed: ${summary}`, { cause: error, details: { prismaCode: code } });
  }
  return new ElevateError('store_unavailable', `Could not connect to the database to migrate it: ${summary}`, { cause: error, retryable: true });
}
