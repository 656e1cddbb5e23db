import { PGlite } from '@electric-sql/pglite';
import { pgliteAdapterFactory } from './pglite-adapter.ts';
import { NO_EXTERNAL_OBJECTS, openSchemaEngine, type MigrationList } from './schema-engine.ts';

/**
 * The SQL that takes a database from the end state of `migrations` to `schema`, or null when
 * they already agree. The engine replays the migrations on a throwaway in-memory PGlite (the
 * shadow database) to learn that end state, so no real database is involved. This is what
 * `prisma migrate dev --create-only` computes, without the CLI's downloaded engine.
 */
export async function diffMigrationsToSchema(migrations: MigrationList, schema: { path: string; content: string }): Promise<string | null> {
  const pglite = new PGlite();
  try {
    const engine = await openSchemaEngine(pgliteAdapterFactory(pglite));
    try {
      const from = migrations.migrationDirectories.length === 0 ? { tag: 'empty' as const } : { tag: 'migrations' as const, ...migrations };
      const result = await engine.diff({
        from,
        to: { tag: 'schemaDatamodel', files: [schema] },
        script: true,
        exitCode: true,
        filters: NO_EXTERNAL_OBJECTS,
      });
      // With exitCode set, the engine answers 2 for "they differ" and 0 for "they agree".
      return result.exitCode === 2 ? (result.stdout ?? '') : null;
    } finally {
      engine.free();
    }
  } finally {
    await pglite.close();
  }
}
