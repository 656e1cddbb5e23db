import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/adapters/store/open-store.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { MIGRATIONS_DIR } from '../../src/adapters/store/prisma/migrations-dir.ts';
import { PrismaStore } from '../../src/adapters/store/prisma/prisma-store.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { aGrant, aRequest, at } from '../support/builders.ts';
import { TRUNCATE_ALL } from '../support/pglite.ts';
import { createThrowawayDatabase, TEST_DATABASE_URL, type ThrowawayDatabase } from '../support/postgres.ts';
import { SettableClock } from './store-contract/context.ts';
import { storeContract } from './store.contract.ts';

describe.skipIf(!TEST_DATABASE_URL)('PostgreSQL store', () => {
  let database: ThrowawayDatabase;
  let admin: pg.Pool;
  let expectedMigrations: string[];

  beforeAll(async () => {
    database = await createThrowawayDatabase(TEST_DATABASE_URL!);
    // openStore migrates the empty database, as the service does at start-up.
    const opened = await openStore({ databaseUrl: database.url, dataDir: '/nonexistent', logger: silentLogger() });
    expectedMigrations = opened.appliedMigrations;
    expect(await opened.store.health()).toEqual({ ok: true });
    await opened.store.close();
    admin = new pg.Pool({ connectionString: database.url, max: 2 });
  });

  afterAll(async () => {
    await admin?.end();
    await database?.drop();
  });

  const open = (clock: Clock = new SettableClock()) => new PrismaStore({ adapter: new PrismaPg({ connectionString: database.url }), clock, expectedMigrations });

  storeContract('Prisma on PostgreSQL', async (clock) => {
    const store = open(clock);
    return {
      store,
      cleanup: async () => {
        await store.close();
        await admin.query(TRUNCATE_ALL);
      },
    };
  });

  describe('migrations', () => {
    it('applies nothing on a second start and records each migration as prisma migrate deploy does', async () => {
      const again = await openStore({ databaseUrl: database.url, dataDir: '/nonexistent', logger: silentLogger() });
      await again.store.close();
      expect(again.appliedMigrations).toEqual([]);
      const { rows } = await admin.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        'SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name',
      );
      expect(rows.map((r) => r.migration_name)).toEqual(expectedMigrations);
      for (const row of rows) {
        const sql = await readFile(path.join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
        expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
        expect(row.finished_at).toBeInstanceOf(Date);
      }
    });

    it('applies each migration once when several instances start together on an empty database', async () => {
      const fresh = await createThrowawayDatabase(TEST_DATABASE_URL!);
      try {
        const opened = await Promise.all(
          [1, 2, 3].map(() => openStore({ databaseUrl: fresh.url, dataDir: '/nonexistent', logger: silentLogger() })),
        );
        await Promise.all(opened.map((o) => o.store.close()));
        expect(opened.flatMap((o) => o.appliedMigrations).sort()).toEqual(expectedMigrations);
      } finally {
        await fresh.drop();
      }
    });
  });

  describe('with several connections at once', () => {
    it('gives two concurrent sweepers disjoint batches instead of making one wait (SKIP LOCKED)', async () => {
      const store = open();
      try {
        const grants = [aGrant({ endsAt: at(10) }), aGrant({ endsAt: at(20) }), aGrant({ endsAt: at(30) })];
        await store.transaction(async (tx) => {
          for (const grant of grants) await tx.insertRequest(aRequest({ id: grant.requestId, status: 'approved' }));
          for (const grant of grants) await tx.insertGrant(grant);
        });

        let releaseFirst!: () => void;
        const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
        let firstClaimed!: (ids: string[]) => void;
        const firstHasClaimed = new Promise<string[]>((resolve) => (firstClaimed = resolve));

        const first = store.transaction(async (tx) => {
          firstClaimed((await tx.claimDueGrants({ now: at(100), limit: 2, leaseUntil: at(160) })).ending.map((g) => g.id));
          await firstHolds;
        });
        const claimedByFirst = await firstHasClaimed;
        const claimedBySecond = await store.transaction(async (tx) => (await tx.claimDueGrants({ now: at(100), limit: 2, leaseUntil: at(160) })).ending.map((g) => g.id));
        releaseFirst();
        await first;

        expect(claimedByFirst).toEqual([grants[0]!.id, grants[1]!.id]);
        expect(claimedBySecond).toEqual([grants[2]!.id]);
      } finally {
        await store.close();
        await admin.query(TRUNCATE_ALL);
      }
    });

    it('makes a second locker of the same request wait until the first commits, then see its write', async () => {
      const store = open();
      try {
        const request = aRequest();
        await store.transaction((tx) => tx.insertRequest(request));
        const order: string[] = [];
        let releaseFirst!: () => void;
        const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
        let firstLocked!: () => void;
        const firstHasLocked = new Promise<void>((resolve) => (firstLocked = resolve));

        const first = store.transaction(async (tx) => {
          await tx.lockRequest(request.id);
          firstLocked();
          await firstHolds;
          await tx.updateRequest(request.id, 'pending', { status: 'approved' });
          order.push('first committed');
        });
        await firstHasLocked;
        const second = store.transaction(async (tx) => {
          const seen = await tx.lockRequest(request.id);
          order.push(`second saw ${seen?.status}`);
        });
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(order).toEqual([]);
        releaseFirst();
        await Promise.all([first, second]);
        expect(order).toEqual(['first committed', 'second saw approved']);
      } finally {
        await store.close();
        await admin.query(TRUNCATE_ALL);
      }
    });
  });
});
