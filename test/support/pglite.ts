import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PGliteInWorker } from '../../src/adapters/store/pglite-in-worker.ts';
import { applyMigrations } from '../../src/adapters/store/prisma/migrate.ts';
import { readMigrations } from '../../src/adapters/store/prisma/migrations-dir.ts';
import { pgliteAdapterFactory } from '../../src/adapters/store/prisma/pglite-adapter.ts';

/** Every table the application writes, emptied between tests (the migration history stays). */
export const APPLICATION_TABLES = [
  'scopes',
  'principals',
  'chat_identities',
  'channel_mappings',
  'elevation_requests',
  'reviews',
  'idempotency_keys',
  'step_up_tickets',
  'principal_authentications',
  'web_sessions',
  'posted_messages',
  'grants',
  'conversation_references',
  'audit_records',
  'audit_head',
  'audit_stream_cursors',
] as const;

export const TRUNCATE_ALL = `TRUNCATE ${APPLICATION_TABLES.join(', ')}`;

export interface MigratedPGlite {
  /** On its own thread, as the service runs it. */
  pglite: PGliteInWorker;
  adapter: SqlMigrationAwareDriverAdapterFactory;
  expectedMigrations: string[];
}

/**
 * An in-memory PGlite with the schema migrated. A fresh PGlite spends seconds in `initdb` on a
 * small machine, so test files open one, empty it between tests with {@link TRUNCATE_ALL}, and
 * start it from a migrated template saved in the temp directory by the first file that needs it.
 */
export async function migratedPGlite(): Promise<MigratedPGlite> {
  const migrations = await readMigrations();
  const pglite = new PGliteInWorker({ dataDir: null, template: new Uint8Array(await (await migratedTemplate(migrations)).arrayBuffer()) });
  await pglite.waitReady;
  const adapter = pgliteAdapterFactory(pglite.asPGlite());
  // A no-op on the template; it proves the template is current rather than trusting its name.
  await applyMigrations(adapter);
  return { pglite, adapter, expectedMigrations: migrations.migrationDirectories.map((m) => m.path) };
}

/** A data-directory dump of a freshly migrated database, keyed by the migrations and PGlite's version. */
async function migratedTemplate(migrations: Awaited<ReturnType<typeof readMigrations>>): Promise<Blob> {
  const key = createHash('sha256').update(JSON.stringify([migrations.migrationDirectories, await pgliteVersion()])).digest('hex').slice(0, 16);
  const file = path.join(tmpdir(), `elevate-test-pglite-${key}.tar`);
  const cached = await readFile(file).catch(() => null);
  if (cached) return new Blob([cached]);

  const pglite = new PGlite();
  try {
    await applyMigrations(pgliteAdapterFactory(pglite));
    const dump = await pglite.dumpDataDir('none');
    // Written aside and renamed, so a file running in parallel never reads half a template.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
    return dump;
  } finally {
    await pglite.close();
  }
}

async function pgliteVersion(): Promise<string> {
  const manifest = path.join(path.dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite'))), '..', 'package.json');
  return (JSON.parse(await readFile(manifest, 'utf8')) as { version: string }).version;
}
