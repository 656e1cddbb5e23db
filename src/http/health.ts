import type { Logger } from '../logging/logger.ts';
import type { Store, StoreHealth } from '../ports/store.ts';
import { sendJson } from './respond.ts';
import type { Route } from './server.ts';

/**
 * `/healthz`: the process is alive and serving. `/readyz`: it can do its job — the database
 * answers and every migration is applied; otherwise 503, so a load balancer keeps traffic away
 * until it is. Both are public, so they say only ready or not ready: why (the database's error,
 * which migrations are missing) goes to the log, once each time the reason changes, not once
 * per probe.
 */
export function healthRoutes(store: Store, logger: Logger): Route[] {
  const log = logger.child({ component: 'readiness' });
  let lastReason: string | null = null;
  const record = (health: StoreHealth) => {
    const reason = health.ok ? null : `${health.reason ?? 'unknown'}: ${health.detail ?? ''}`;
    if (reason === lastReason) return;
    if (health.ok) log.info('ready again: the database answers and every migration is applied');
    else log.warn({ reason: health.reason, detail: health.detail }, `not ready: ${health.reason ?? 'unknown'}`);
    lastReason = reason;
  };
  return [
    { method: 'GET', path: '/healthz', handler: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    {
      method: 'GET',
      path: '/readyz',
      handler: async (_req, res) => {
        const health: StoreHealth = await store.health().catch((error: unknown) => ({ ok: false, reason: 'unreachable', detail: (error as Error).message }));
        record(health);
        if (health.ok) sendJson(res, 200, { status: 'ready' });
        else sendJson(res, 503, { status: 'not_ready' });
      },
    },
  ];
}
