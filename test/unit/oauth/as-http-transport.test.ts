import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_RESPONSE_BYTES, asHttpTransport } from '../../../src/adapters/oauth/client/as-http-transport.ts';
import { freePort } from '../../support/free-port.ts';

let server: Server | null = null;
const http = asHttpTransport();
const transport = http.fetch;

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<string> {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString()));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  http.close();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = null;
});

describe('the HTTP transport to the AS', () => {
  it('sends the form body with its length and answers with a standard Response', async () => {
    let seen: { method?: string; type?: string; length?: string; body?: string } = {};
    const origin = await serve((req, res, body) => {
      seen = { method: req.method, type: req.headers['content-type'], length: req.headers['content-length'], body };
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end('{"active":false}');
    });
    const response = await transport(`${origin}/oauth/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: 'abc', token_type_hint: 'access_token' }), redirect: 'manual' });
    expect(seen).toEqual({ method: 'POST', type: 'application/x-www-form-urlencoded', length: '38', body: 'token=abc&token_type_hint=access_token' });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ active: false });
  });

  it('also answers without a Response object, for revocation: status, lower-case headers and the body bytes', async () => {
    let seen = '';
    const origin = await serve((req, res, body) => {
      seen = `${req.method} ${req.headers['content-type']} ${req.headers['content-length']} ${body}`;
      res.writeHead(400, { 'Content-Type': 'application/json', 'Retry-After': '3' }).end('{"error":"invalid_request"}');
    });
    const answer = await http.send(`${origin}/oauth/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=abc' });
    expect(seen).toBe('POST application/x-www-form-urlencoded 9 token=abc');
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.headers['retry-after']).toBe('3');
    expect(answer.body.toString()).toBe('{"error":"invalid_request"}');
  });

  it('does not follow a redirect: the 3xx itself is the answer', async () => {
    const origin = await serve((_req, res) => res.writeHead(302, { location: 'http://attacker.example/steal' }).end());
    const response = await transport(`${origin}/oauth/token`, { method: 'POST', headers: {}, body: 'x=1', redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://attacker.example/steal');
  });

  it('answers 204 with no body', async () => {
    const origin = await serve((_req, res) => res.writeHead(204).end());
    const response = await transport(`${origin}/x`, { method: 'GET', headers: {}, body: undefined, redirect: 'manual' });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('rejects with the signal’s TimeoutError when the AS does not answer in time', async () => {
    const origin = await serve(() => undefined);
    const error = await transport(`${origin}/slow`, { method: 'POST', headers: {}, body: 'x=1', redirect: 'manual', signal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('TimeoutError');
  });

  it('rejects a refused connection as fetch does: TypeError with the system code as cause', async () => {
    const port = await freePort();
    const error = await transport(`http://127.0.0.1:${port}/`, { method: 'POST', headers: {}, body: 'x=1', redirect: 'manual' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(((error as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('rejects a connection cut in the middle of the answer', async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"access_token":"');
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const error = await transport(`${origin}/oauth/token`, { method: 'POST', headers: {}, body: 'x=1', redirect: 'manual' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
  });

  it('refuses an answer larger than it would ever need instead of buffering it', async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(Buffer.alloc(MAX_RESPONSE_BYTES + 1, 0x20));
    });
    const error = await transport(`${origin}/huge`, { method: 'GET', headers: {}, body: undefined, redirect: 'manual' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(String(((error as TypeError).cause as Error).message)).toContain('larger than');
  });

  it('verifies the AS’s TLS certificate: a certificate nobody vouches for is refused and nothing is sent', async () => {
    // A self-signed certificate for 127.0.0.1, kept for this test only and trusted by nobody.
    const fixture = (name: string) => readFileSync(new URL(`../../fixtures/tls/untrusted-127.0.0.1.${name}`, import.meta.url));
    let requests = 0;
    const tls = createTlsServer({ key: fixture('key'), cert: fixture('crt') }, (_req, res) => {
      requests += 1;
      res.end('{}');
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    try {
      const error = await transport(`https://127.0.0.1:${(tls.address() as AddressInfo).port}/oauth/revoke`, { method: 'POST', headers: {}, body: 'token=secret', redirect: 'manual' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect(((error as TypeError).cause as NodeJS.ErrnoException).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(requests).toBe(0);
    } finally {
      tls.closeAllConnections();
      await new Promise((resolve) => tls.close(resolve));
    }
  });

  it('refuses schemes other than http and https', async () => {
    const error = await transport('file:///etc/passwd', { method: 'GET', headers: {}, body: undefined, redirect: 'manual' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
  });
});
