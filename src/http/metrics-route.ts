import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './respond.ts';
import type { Route } from './server.ts';

/** What answers a scrape: the exposition text and its media type. */
export interface MetricsSource {
  readonly contentType: string;
  scrape(): Promise<string>;
}

/**
 * `GET /metrics`, behind a bearer token when one is configured: a request without it, or with
 * another, gets 401 and `WWW-Authenticate: Bearer` (RFC 6750), and learns nothing else. The
 * token is compared in constant time (both sides hashed first, so even their lengths stay hidden).
 */
export function metricsRoute(source: MetricsSource, token: string | null): Route {
  const expected = token === null ? null : digest(token);
  return {
    method: 'GET',
    path: '/metrics',
    handler: async (req, res) => {
      if (expected !== null && !authorised(req, expected)) return refuse(req, res);
      const text = await source.scrape();
      res.writeHead(200, { 'content-type': source.contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(text);
    },
  };
}

function authorised(req: IncomingMessage, expected: Buffer): boolean {
  const presented = bearer(req);
  return presented !== null && timingSafeEqual(digest(presented), expected);
}

function bearer(req: IncomingMessage): string | null {
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(req.headers.authorization ?? '');
  return match ? match[1]! : null;
}

function refuse(req: IncomingMessage, res: ServerResponse): void {
  const challenge = req.headers.authorization === undefined ? 'Bearer realm="elevate-metrics"' : 'Bearer realm="elevate-metrics", error="invalid_token"';
  sendJson(res, 401, { error: 'unauthenticated', message: 'A bearer token is required for /metrics.' }, { 'www-authenticate': challenge });
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
