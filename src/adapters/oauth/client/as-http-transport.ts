import { STATUS_CODES } from 'node:http';
import type { CustomFetch } from 'openid-client';
import { Agent, type Dispatcher } from 'undici';

/** The largest answer accepted from the AS; its answers are a few hundred bytes. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** An answer from the AS, read whole. Header names are lower case. */
export interface PlainResponse {
  status: number;
  statusText: string;
  headers: Readonly<Record<string, string>>;
  body: Buffer;
}

export interface PlainRequest {
  method: string;
  headers: Readonly<Record<string, string>>;
  body: string | Buffer | null;
  signal?: AbortSignal;
  /** Gives up when the AS has not answered for this long, without the cost of a signal per request. */
  timeoutMs?: number;
}

/**
 * How Elevate talks HTTP to the AS. `fetch` is the shape openid-client takes (discovery, exchange,
 * introspection); `send` is the same transport without `Response` objects, for revocation, which
 * the sweeper makes once per grant: building and reading a standard `Response` cost more CPU
 * than the request itself.
 */
export interface AsHttpTransport {
  fetch: CustomFetch;
  send(url: string | URL, request: PlainRequest): Promise<PlainResponse>;
  /** Closes kept-alive connections; a later request opens new ones. */
  close(): void;
}

/**
 * undici's dispatcher (Node's own HTTP client, the one under the global `fetch`) over kept-alive
 * connections, used through its plain `request` API. On a small machine the client's CPU per
 * request decides how fast the sweeper can revoke grants: measured on loopback at 64 requests in
 * flight, about 50 µs a request against 110 µs for node:http and three to four times that for the
 * global `fetch`, whose WHATWG streams and headers are the difference.
 *
 * Behaves as `fetch` does for what openid-client asks of it: redirects are not followed
 * (`redirect: 'manual'`), an aborted signal rejects with the signal's reason (a `TimeoutError`
 * for openid-client's timeouts, and for `timeoutMs`), and a network failure rejects with
 * `TypeError('fetch failed')` whose `cause` carries the system error code. TLS uses Node's
 * default trust store (plus NODE_EXTRA_CA_CERTS), as `fetch` does. An answer larger than
 * {@link MAX_RESPONSE_BYTES} is refused rather than buffered.
 */
export function asHttpTransport(): AsHttpTransport {
  let agent: Agent | null = null;
  const dispatcher = () => (agent ??= new Agent({ maxResponseSize: MAX_RESPONSE_BYTES }));

  const send = async (url: string | URL, options: PlainRequest): Promise<PlainResponse> => {
    const target = typeof url === 'string' ? new URL(url) : url;
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new TypeError('fetch failed', { cause: new Error(`unsupported protocol ${target.protocol}`) });
    const { signal, timeoutMs } = options;
    if (signal?.aborted) throw signal.reason;
    const request: Dispatcher.RequestOptions = {
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: options.method as Dispatcher.HttpMethod,
      headers: options.headers,
      body: options.body,
      signal,
      ...(timeoutMs === undefined ? {} : { headersTimeout: timeoutMs, bodyTimeout: timeoutMs }),
    };
    try {
      const answer = await dispatcher().request(request);
      return { status: answer.statusCode, statusText: STATUS_CODES[answer.statusCode] ?? '', headers: plainHeaders(answer.headers), body: Buffer.from(await answer.body.arrayBuffer()) };
    } catch (error) {
      throw fetchLikeError(error, signal);
    }
  };

  const fetch: CustomFetch = async (url, options) => {
    const answer = await send(url, { method: options.method, headers: options.headers, body: requestBody(options.body), signal: options.signal });
    const bodyless = answer.status === 204 || answer.status === 304 || (answer.status >= 100 && answer.status < 200);
    try {
      return new Response(bodyless ? null : answer.body, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
    } catch (error) {
      throw new TypeError('fetch failed', { cause: error });
    }
  };

  return {
    fetch,
    send,
    close() {
      void agent?.destroy();
      agent = null;
    },
  };
}

/** The error `fetch` would have thrown: the signal's reason, a `TimeoutError`, or `TypeError('fetch failed')`. */
function fetchLikeError(error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return new TypeError('fetch failed', { cause: new Error(`the answer is larger than ${MAX_RESPONSE_BYTES} bytes`) });
  return new TypeError('fetch failed', { cause: error });
}

/**
 * A transport over any `fetch`-shaped function (tests that watch or alter the traffic, a proxy
 * library): `send` goes through it too, so every request to the AS takes the same road.
 */
export function transportOverFetch(fetch: CustomFetch): AsHttpTransport {
  return {
    fetch,
    async send(url, request) {
      const signal = request.timeoutMs === undefined ? request.signal : AbortSignal.any([AbortSignal.timeout(request.timeoutMs), ...(request.signal ? [request.signal] : [])]);
      const response = await fetch(String(url), { method: request.method, headers: { ...request.headers }, body: request.body, redirect: 'manual', signal } as Parameters<CustomFetch>[1]);
      const body = Buffer.from(await response.arrayBuffer());
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return { status: response.status, statusText: response.statusText, headers, body };
    },
    close() {},
  };
}

function requestBody(body: Parameters<CustomFetch>[1]['body']): string | Buffer | null {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  throw new TypeError('a streamed request body is not supported by this transport');
}

/** Lower-case names (as undici gives them); repeated headers joined with ", " as `Headers` does. */
function plainHeaders(raw: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in raw) {
    const value = raw[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
