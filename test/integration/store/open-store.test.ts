import { describe, expect, it } from 'vitest';
import { describeDatabaseUrl } from '../../../src/adapters/store/describe-database-url.ts';
import { openStore } from '../../../src/adapters/store/open-store.ts';
import { PrismaStore } from '../../../src/adapters/store/prisma/prisma-store.ts';
import { PrismaPg } from '@prisma/adapter-pg';
import { systemClock } from '../../../src/domain/clock.ts';
import { isElevateError } from '../../../src/domain/errors.ts';
import { silentLogger } from '../../../src/logging/logger.ts';

// Nothing listens on port 1: connections are refused at once.
const UNREACHABLE_URL = 'postgresql://elevate:hunter2@127.0.0.1:1/elevate?sslpassword=hunter2';

describe('describeDatabaseUrl', () => {
  it.each([
    ['postgresql://elevate:hunter2@db.internal:5432/elevate?sslmode=require&password=hunter2', 'postgresql://elevate@db.internal:5432/elevate'],
    ['postgres://db.internal/elevate', 'postgres://db.internal/elevate'],
    ['postgresql://us%40er:p%40ss@[::1]:6543/x', 'postgresql://us@er@[::1]:6543/x'],
    ['not a url with password hunter2', 'PostgreSQL (the URL could not be parsed)'],
  ])('describes %s without its secrets', (url, described) => {
    expect(describeDatabaseUrl(url)).toBe(described);
    expect(describeDatabaseUrl(url)).not.toContain('hunter2');
  });
});

describe('openStore', () => {
  it('opens an in-memory embedded store with the schema applied', async () => {
    const { store, kind, description, appliedMigrations } = await openStore({ dataDir: '/nonexistent', inMemory: true, logger: silentLogger() });
    try {
      expect(kind).toBe('pglite');
      expect(description).toBe('(in memory)');
      expect(appliedMigrations.length).toBeGreaterThan(0);
      expect(await store.health()).toEqual({ ok: true });
      expect(await store.listScopes()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('fails with a retryable store_unavailable that names the database but not the password', async () => {
    const error = await openStore({ databaseUrl: UNREACHABLE_URL, dataDir: '/nonexistent', logger: silentLogger() }).catch((e: unknown) => e);
    expect(isElevateError(error, 'store_unavailable')).toBe(true);
    expect((error as { retryable: boolean }).retryable).toBe(true);
    expect((error as Error).message).toContain('postgresql://elevate@127.0.0.1:1/elevate');
    expect((error as Error).message).not.toContain('hunter2');
  });
});

describe('PrismaStore when the database is unreachable', () => {
  const store = () => new PrismaStore({ adapter: new PrismaPg({ connectionString: UNREACHABLE_URL }), clock: systemClock, expectedMigrations: [] });

  it('reports unreachable from health()', async () => {
    const s = store();
    expect(await s.health()).toMatchObject({ ok: false, reason: 'unreachable' });
    await s.close();
  });

  it('turns reads and transactions into retryable store_unavailable errors', async () => {
    const s = store();
    for (const attempt of [() => s.getScope('x'), () => s.transaction((tx) => tx.lockRequest('r'))]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(isElevateError(error, 'store_unavailable')).toBe(true);
      expect((error as { retryable: boolean }).retryable).toBe(true);
    }
    await s.close();
  });
});
