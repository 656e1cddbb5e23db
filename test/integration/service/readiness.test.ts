import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/adapters/store/memory/memory-store.ts';
import { healthRoutes } from '../../../src/http/health.ts';
import { createHttpServer } from '../../../src/http/server.ts';
import { createLogger, silentLogger } from '../../../src/logging/logger.ts';
import { LogCapture } from '../../support/log-capture.ts';
import type { Store, StoreHealth } from '../../../src/ports/store.ts';

async function serve(store: Store, logger = silentLogger()) {
  const http = createHttpServer({ logger: silentLogger(), routes: healthRoutes(store, logger) });
  const { port } = await http.listen(0, '127.0.0.1');
  return { base: `http://127.0.0.1:${port}`, close: () => http.close() };
}

describe('health and readiness', () => {
  it.each<[string, StoreHealth | Error, number, Record<string, unknown>, string | null]>([
    ['ready when the store is reachable and migrated', { ok: true }, 200, { status: 'ready' }, null],
    ['not ready while migrations are pending', { ok: false, reason: 'migrations_pending', detail: 'not applied: 20261122042120_init' }, 503, { status: 'not_ready' }, 'not applied: 20261122042120_init'],
    ['not ready when the database cannot be reached', new Error('connect ECONNREFUSED 127.0.0.1:5432'), 503, { status: 'not_ready' }, 'connect ECONNREFUSED 127.0.0.1:5432'],
  ])('/readyz is %s, telling the public no more than that and the log why', async (_name, health, status, body, loggedDetail) => {
    const store = new MemoryStore();
    store.health = async () => {
      if (health instanceof Error) throw health;
      return health;
    };
    const logs = new LogCapture();
    const server = await serve(store, createLogger({ level: 'info', pretty: false, destination: logs }));
    try {
      const response = await fetch(`${server.base}/readyz`);
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual(body);
      await fetch(`${server.base}/readyz`);
      const notReady = logs.entries.filter((entry) => entry.msg === `not ready: ${(health as StoreHealth).reason ?? 'unreachable'}`);
      // Logged once per change of reason, not once per probe.
      expect(notReady.map((entry) => entry.detail)).toEqual(loggedDetail === null ? [] : [loggedDetail]);
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
