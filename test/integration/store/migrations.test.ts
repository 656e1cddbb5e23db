import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/adapters/store/open-store.ts';
import { applyMigrations } from '../../../src/adapters/store/prisma/migrate.ts';
import { MIGRATIONS_DIR, readMigrations, SCHEMA_FILE } from '../../../src/adapters/store/prisma/migrations-dir.ts';
import { diffMigrationsToSchema } from '../../../src/adapters/store/prisma/schema-diff.ts';
import { pgliteAdapterFactory } from '../../../src/adapters/store/prisma/pglite-adapter.ts';
import { PrismaStore } from '../../../src/adapters/store/prisma/prisma-store.ts';
import { systemClock } from '../../../src/domain/clock.ts';
import { isElevateError } from '../../../src/domain/errors.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { aScope } from '../../support/builders.ts';

describe('migrations on PGlite', () => {
  let pglite: PGlite;
  let shipped: string[];
  let firstRun: string[];

  beforeAll(async () => {
    pglite = new PGlite();
    shipped = (await readMigrations()).migrationDirectories.map((m) => m.path);
    firstRun = await applyMigrations(pgliteAdapterFactory(pglite));
  });

  afterAll(async () => {
    await pglite.close();
  });

  it('applies every shipped migration to an empty database', () => {
    expect(shipped.length).toBeGreaterThan(0);
    expect(firstRun).toEqual(shipped);
  });

  it('applies nothing the second time', async () => {
    expect(await applyMigrations(pgliteAdapterFactory(pglite))).toEqual([]);
  });

  it('records each migration as `prisma migrate deploy` does: finished, with the SHA-256 of its SQL', async () => {
    const { rows } = await pglite.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null; applied_steps_count: number }>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(shipped);
    for (const row of rows) {
      const sql = await readFile(path.join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it('reports a store ready only when every shipped migration is applied', async () => {
    const upToDate = new PrismaStore({ adapter: pgliteAdapterFactory(pglite), clock: systemClock, expectedMigrations: shipped });
    const behind = new PrismaStore({ adapter: pgliteAdapterFactory(pglite), clock: systemClock, expectedMigrations: [...shipped, '29990101000000_from_the_future'] });
    expect(await upToDate.health()).toEqual({ ok: true });
    expect(await behind.health()).toEqual({ ok: false, reason: 'migrations_pending', detail: 'not applied: 29990101000000_from_the_future' });
    await upToDate.close();
    await behind.close();
  });
});

describe('the migrations and prisma/schema.prisma', () => {
  it('describe the same database (after changing the schema, run `npm run db:new-migration -- <name>`)', async () => {
    const schema = { path: SCHEMA_FILE, content: await readFile(SCHEMA_FILE, 'utf8') };
    expect(await diffMigrationsToSchema(await readMigrations(), schema)).toBeNull();
  });
});

describe('a migration that fails', () => {
  let dir: string;
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is reported, recorded as failed, and blocks later runs until resolved', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'elevate-migrations-'));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await mkdir(path.join(dir, '29990101000000_broken'));
    await writeFile(path.join(dir, '29990101000000_broken', 'migration.sql'), 'CREATE TABLE half_done (a int);\nSELEC broken;\n');
    const pglite = new PGlite();
    try {
      const error = await applyMigrations(pgliteAdapterFactory(pglite), { migrationsDir: dir }).catch((e: unknown) => e);
      expect(isElevateError(error, 'internal')).toBe(true);
      expect((error as Error).message).toMatch(/syntax error at or near "SELEC"/);

      const { rows } = await pglite.query<{ finished_at: Date | null }>(`SELECT finished_at FROM _prisma_migrations WHERE migration_name = '29990101000000_broken'`);
      expect(rows).toEqual([{ finished_at: null }]);

      const again = await applyMigrations(pgliteAdapterFactory(pglite), { migrationsDir: dir }).catch((e: unknown) => e);
      expect((again as Error).message).toMatch(/failed migrations/);

      const expectedMigrations = (await readMigrations(dir)).migrationDirectories.map((m) => m.path);
      const store = new PrismaStore({ adapter: pgliteAdapterFactory(pglite), clock: systemClock, expectedMigrations });
      expect(await store.health()).toMatchObject({ ok: false, reason: 'migrations_pending', detail: 'failed: 29990101000000_broken' });
      await store.close();
    } finally {
      await pglite.close();
    }
  });
});

describe('an embedded database in a data directory', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'elevate-data-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps its data across a restart, which applies no migration again', async () => {
    const first = await openStore({ dataDir, logger: silentLogger() });
    expect(first.kind).toBe('pglite');
    expect(first.description).toBe(path.join(dataDir, 'pglite'));
    expect(first.appliedMigrations.length).toBeGreaterThan(0);
    await first.store.transaction(async (tx) => {
      await tx.putScope(aScope());
      await tx.appendAudit({ type: 'admin.scope_changed', actor: 'admin' });
    });
    await first.store.close();

    const second = await openStore({ dataDir, logger: silentLogger() });
    try {
      expect(second.appliedMigrations).toEqual([]);
      expect(await second.store.getScope('prod-db-admin')).toEqual(aScope());
      expect((await second.store.getAuditHead())?.seq).toBe(1);
      expect(await second.store.health()).toEqual({ ok: true });
    } finally {
      await second.store.close();
    }
  });

  it('refuses a second open while the first holds it, naming the holder', async () => {
    const first = await openStore({ dataDir, logger: silentLogger() });
    try {
      const error = await openStore({ dataDir, logger: silentLogger() }).catch((e: unknown) => e);
      expect(isElevateError(error, 'store_unavailable')).toBe(true);
      expect((error as Error).message).toContain(`in use by process ${process.pid}`);
    } finally {
      await first.store.close();
    }
  });

  it('takes over a lock left behind by a process that no longer exists', async () => {
    await writeFile(path.join(dataDir, 'pglite', 'elevate.lock'), '999999999');
    const reopened = await openStore({ dataDir, logger: silentLogger() });
    expect(await reopened.store.getScope('prod-db-admin')).not.toBeNull();
    await reopened.store.close();
  });
});
