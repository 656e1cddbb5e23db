import http from 'node:http';
import https from 'node:https';
import type { CustomFetch } from 'openid-client';

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
  /** Gives up after this long, as `AbortSignal.timeout` would, without the cost of a signal. */
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
  /** Closes kept-alive connections. */
  close(): void;
}

/**
 * node:http(s) over kept-alive connections. The global `fetch` does the same job at three to four
 * times the CPU per request (measured: ~0.5 ms against ~0.15 ms), and on a small machine the
 * transport decided how fast the sweeper could revoke grants.
 *
 * Behaves as `fetch` does for what openid-client asks of it: redirects are not followed
 * (`redirect: 'manual'`), an aborted signal rejects with the signal's reason (a `TimeoutError`
 * for openid-client's timeouts), and a network failure rejects with `TypeError('fetch failed')`
 * whose `cause` carries the system error code. TLS uses Node's default trust store (plus
 * NODE_EXTRA_CA_CERTS), as `fetch` does. An answer larger than {@link MAX_RESPONSE_BYTES} is
 * refused rather than buffered.
 */
export function nodeHttpTransport(): AsHttpTransport {
  const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

  const send = (url: string | URL, options: PlainRequest): Promise<PlainResponse> =>
    new Promise<PlainResponse>((resolve, reject) => {
      const target = typeof url === 'string' ? new URL(url) : url;
      if (target.protocol !== 'http:' && target.protocol !== 'https:') {
        reject(new TypeError('fetch failed', { cause: new Error(`unsupported protocol ${target.protocol}`) }));
        return;
      }
      const { signal } = options;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const body = typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
      const headers: Record<string, string> = { ...options.headers };
      if (body !== null) headers['content-length'] = String(body.length);

      const transport = target.protocol === 'https:' ? https : http;
      const request = transport.request(target, { method: options.method, headers, agent: agents[target.protocol] });
      let settled = false;
      const finish = (outcome: { response: PlainResponse } | { error: unknown }) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (timer !== undefined) clearTimeout(timer);
        if ('response' in outcome) resolve(outcome.response);
        else reject(outcome.error);
      };
      const fail = (error: unknown) => {
        finish({ error: signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }) });
        request.destroy();
      };
      const onAbort = () => fail(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
        finish({ error: new DOMException('The operation was aborted due to timeout', 'TimeoutError') });
        request.destroy();
      }, options.timeoutMs);

      request.on('error', fail);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('error', fail);
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) fail(new Error(`the answer is larger than ${MAX_RESPONSE_BYTES} bytes`));
          else chunks.push(chunk);
        });
        response.on('end', () => {
          finish({ response: { status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', headers: plainHeaders(response.rawHeaders), body: Buffer.concat(chunks, size) } });
        });
      });
      request.end(body ?? undefined);
    });

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
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
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

/** Lower-case names; repeated headers joined with ", " as `Headers` does. */
function plainHeaders(raw: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    headers[name] = name in headers ? `${headers[name]}, ${raw[i + 1]!}` : raw[i + 1]!;
  }
  return headers;
}
