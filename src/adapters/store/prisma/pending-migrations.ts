import type { Db } from './prisma-reader.ts';

export interface MigrationState {
  /** Migrations shipped with this build that the database has not finished applying. */
  pending: string[];
  /** Migrations that started and failed; they block every later one until resolved. */
  failed: string[];
}

/**
 * Compares the migrations this build ships with `_prisma_migrations`, by plain SQL: cheap enough
 * for a readiness probe, unlike starting the schema engine. A database without the table has
 * every migration pending.
 */
export async function readMigrationState(db: Db, expected: readonly string[]): Promise<MigrationState> {
  const [table] = await db.$queryRaw<{ present: boolean }[]>`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present`;
  if (!table?.present) return { pending: [...expected], failed: [] };
  const rows = await db.$queryRaw<{ migration_name: string; finished: boolean }[]>`
    SELECT migration_name, finished_at IS NOT NULL AS finished
    FROM _prisma_migrations
    WHERE rolled_back_at IS NULL`;
  const finished = new Set(rows.filter((r) => r.finished).map((r) => r.migration_name));
  return {
    pending: expected.filter((name) => !finished.has(name)),
    failed: rows.filter((r) => !r.finished).map((r) => r.migration_name),
  };
}
