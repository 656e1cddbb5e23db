import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logging/logger.ts';
import { toErrorResponse } from './error-status.ts';
import { redactPath } from './redact-path.ts';
import { sendJson } from './respond.ts';

export type Handler = (req: IncomingMessage, res: ServerResponse, context: RequestContext) => void | Promise<void>;

export interface RequestContext {
  requestId: string;
  logger: Logger;
  /** The path with a mount's prefix removed (for mounts), or the full path. */
  path: string;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  handler: Handler;
}

/** A sub-application (Slack receiver, Teams adapter, development AS) owning every path under a prefix. */
export interface Mount {
  prefix: string;
  handler: Handler;
  /** Strip the prefix from `req.url` before handing over (for apps that expect to live at `/`). */
  stripPrefix?: boolean;
}

export interface HttpServer {
  readonly server: Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
}

/**
 * The one HTTP server. Exact routes first, then prefix mounts; anything else is a JSON 404.
 * Each request gets an id (from `x-request-id` when it is sane) and a child logger carrying it.
 */
export function createHttpServer(input: { routes: Route[]; mounts?: Mount[]; logger: Logger }): HttpServer {
  const { routes, logger } = input;
  const mounts = [...(input.mounts ?? [])].sort((a, b) => b.prefix.length - a.prefix.length);
  let inFlight = 0;
  let drained: (() => void) | null = null;

  const server = createServer((req, res) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    });
    const requestId = sanitiseRequestId(req.headers['x-request-id']) ?? randomUUID();
    res.setHeader('x-request-id', requestId);
    const log = logger.child({ request_id: requestId });
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    void dispatch(req, res, { requestId, logger: log, path }).catch((error: unknown) => {
      log.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error), path: redactPath(path) }, 'request failed');
      if (!res.headersSent) {
        const { status, body } = toErrorResponse(error);
        sendJson(res, status, body);
      } else res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  async function dispatch(req: IncomingMessage, res: ServerResponse, context: RequestContext): Promise<void> {
    const route = routes.find((r) => r.path === context.path && r.method === req.method);
    if (route) return route.handler(req, res, context);
    if (routes.some((r) => r.path === context.path)) {
      return sendJson(res, 405, { error: 'method_not_allowed', message: `${req.method} is not allowed here.` });
    }
    const mount = mounts.find((m) => context.path === m.prefix || context.path.startsWith(`${m.prefix}/`));
    if (mount) {
      const rest = context.path.slice(mount.prefix.length) || '/';
      if (mount.stripPrefix) req.url = rest + (req.url?.includes('?') ? req.url.slice(req.url.indexOf('?')) : '');
      return mount.handler(req, res, { ...context, path: rest });
    }
    sendJson(res, 404, { error: 'not_found', message: `Nothing at ${redactPath(context.path)}.` });
  }

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    async close(graceMs = 10_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([new Promise<void>((resolve) => (drained = resolve)), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}

function sanitiseRequestId(value: string | string[] | undefined): string | undefined {
  const id = Array.isArray(value) ? value[0] : value;
  return id !== undefined && /^[A-Za-z0-9._:-]{1,100}$/.test(id) ? id : undefined;
}
