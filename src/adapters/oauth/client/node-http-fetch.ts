import http from 'node:http';
import https from 'node:https';
import type { CustomFetch } from 'openid-client';

/** The largest answer accepted from the AS; its answers are a few hundred bytes. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/**
 * The HTTP transport for every call to the AS: node:http(s) over kept-alive connections,
 * answering with a standard `Response` as openid-client expects. The global `fetch` does the same
 * job at three to four times the CPU per request (measured: ~0.5 ms against ~0.15 ms), and the
 * sweeper makes one request per revocation, so on a small machine the transport decided how fast
 * grants could be revoked.
 *
 * Behaves as `fetch` does for what openid-client asks of it: redirects are not followed
 * (`redirect: 'manual'`), an aborted signal rejects with the signal's reason (a `TimeoutError`
 * for openid-client's timeouts), and a network failure rejects with `TypeError('fetch failed')`
 * whose `cause` carries the system error code. TLS uses Node's default trust store (plus
 * NODE_EXTRA_CA_CERTS), as `fetch` does. An answer larger than {@link MAX_RESPONSE_BYTES} is
 * refused rather than buffered.
 */
export function nodeHttpFetch(): CustomFetch & { close(): void } {
  const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

  const send: CustomFetch = (url, options) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== 'http:' && target.protocol !== 'https:') {
        reject(new TypeError('fetch failed', { cause: new Error(`unsupported protocol ${target.protocol}`) }));
        return;
      }
      const { signal } = options;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      let body: Buffer | null;
      try {
        body = requestBody(options.body);
      } catch (error) {
        reject(error);
        return;
      }
      const headers: Record<string, string> = { ...options.headers };
      if (body !== null) headers['content-length'] = String(body.length);

      const transport = target.protocol === 'https:' ? https : http;
      const request = transport.request(target, { method: options.method, headers, agent: agents[target.protocol] });
      let settled = false;
      const finish = (outcome: { response: Response } | { error: unknown }) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if ('response' in outcome) resolve(outcome.response);
        else reject(outcome.error);
      };
      const fail = (error: unknown) => {
        finish({ error: signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }) });
        request.destroy();
      };
      const onAbort = () => fail(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });

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
          const status = response.statusCode ?? 0;
          const bodyless = status === 204 || status === 304 || (status >= 100 && status < 200);
          try {
            finish({ response: new Response(bodyless ? null : Buffer.concat(chunks, size), { status, statusText: response.statusMessage ?? '', headers: responseHeaders(response.rawHeaders) }) });
          } catch (error) {
            fail(error);
          }
        });
      });
      request.end(body ?? undefined);
    });

  return Object.assign(send, {
    /** Closes the kept-alive connections. */
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  });
}

function requestBody(body: Parameters<CustomFetch>[1]['body']): Buffer | null {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof URLSearchParams) return Buffer.from(body.toString());
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  throw new TypeError('a streamed request body is not supported by this transport');
}

function responseHeaders(raw: readonly string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}
