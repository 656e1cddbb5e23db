import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationList } from './schema-engine.ts';

/** `prisma/migrations` of this repository, found from this file so the working directory does not matter. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../../prisma/migrations/', import.meta.url));
export const SCHEMA_FILE = fileURLToPath(new URL('../../../../prisma/schema.prisma', import.meta.url));
export const LOCKFILE_NAME = 'migration_lock.toml';

/**
 * Reads a Prisma migrations directory into the shape the schema engine expects: one entry per
 * `<timestamp>_<name>/migration.sql`, in name (= time) order, as `prisma migrate deploy` reads it.
 */
export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(ifMissing([]));
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8').catch(ifMissing(null));
      const content = sql === null ? { tag: 'error' as const, value: `${name}/migration.sql is missing` } : { tag: 'ok' as const, value: sql };
      return { path: name, migrationFile: { path: 'migration.sql', content } };
    }),
  );
  const lockfile = await readFile(path.join(dir, LOCKFILE_NAME), 'utf8').catch(ifMissing(null));
  return { baseDir: dir, lockfile: { path: LOCKFILE_NAME, content: lockfile }, shadowDbInitScript: '', migrationDirectories };
}

function ifMissing<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  };
}
