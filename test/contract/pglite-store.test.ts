import { afterAll, beforeAll } from 'vitest';
import { PrismaStore } from '../../src/adapters/store/prisma/prisma-store.ts';
import { migratedPGlite, TRUNCATE_ALL, type MigratedPGlite } from '../support/pglite.ts';
import { storeContract } from './store.contract.ts';

let db: MigratedPGlite;

beforeAll(async () => {
  db = await migratedPGlite();
});

afterAll(async () => {
  await db.pglite.close();
});

storeContract('Prisma on PGlite', async (clock) => {
  const store = new PrismaStore({ adapter: db.adapter, clock, expectedMigrations: db.expectedMigrations });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await db.pglite.exec(TRUNCATE_ALL);
    },
  };
});
