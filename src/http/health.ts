import type { Store } from '../ports/store.ts';
import { sendJson } from './respond.ts';
import type { Route } from './server.ts';

/**
 * `/healthz`: the process is alive and serving. `/readyz`: it can do its job — the database
 * answers and every migration is applied; otherwise 503 with the reason, so a load balancer
 * keeps traffic away until it is.
 */
export function healthRoutes(store: Store): Route[] {
  return [
    { method: 'GET', path: '/healthz', handler: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    {
      method: 'GET',
      path: '/readyz',
      handler: async (_req, res) => {
        const health = await store.health().catch((error: unknown) => ({ ok: false, reason: 'unreachable', detail: (error as Error).message }));
        if (health.ok) sendJson(res, 200, { status: 'ready' });
        else sendJson(res, 503, { status: 'not_ready', reason: health.reason, detail: health.detail });
      },
    },
  ];
}
