import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/adapters/store/memory/memory-store.ts';
import { healthRoutes } from '../../../src/http/health.ts';
import { createHttpServer } from '../../../src/http/server.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import type { Store, StoreHealth } from '../../../src/ports/store.ts';

async function serve(store: Store) {
  const http = createHttpServer({ logger: silentLogger(), routes: healthRoutes(store) });
  const { port } = await http.listen(0, '127.0.0.1');
  return { base: `http://127.0.0.1:${port}`, close: () => http.close() };
}

describe('health and readiness', () => {
  it.each<[string, StoreHealth | Error, number, Record<string, unknown>]>([
    ['ready when the store is reachable and migrated', { ok: true }, 200, { status: 'ready' }],
    ['not ready while migrations are pending', { ok: false, reason: 'migrations_pending', detail: 'not applied: 20261122042120_init' }, 503, { status: 'not_ready', reason: 'migrations_pending', detail: 'not applied: 20261122042120_init' }],
    ['not ready when the database cannot be reached', new Error('connect ECONNREFUSED 127.0.0.1:5432'), 503, { status: 'not_ready', reason: 'unreachable', detail: 'connect ECONNREFUSED 127.0.0.1:5432' }],
  ])('/readyz is %s', async (_name, health, status, body) => {
    const store = new MemoryStore();
    store.health = async () => {
      if (health instanceof Error) throw health;
      return health;
    };
    const server = await serve(store);
    try {
      const response = await fetch(`${server.base}/readyz`);
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual(body);
      expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('is not ready once the store is closed, while still alive', async () => {
    const store = new MemoryStore();
    await store.close();
    const server = await serve(store);
    try {
      expect((await fetch(`${server.base}/readyz`)).status).toBe(503);
      expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
