import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MetadataProbe } from '../../../../src/adapters/oauth/metadata-probe.ts';

let server: Server | null = null;

/** A loopback AS whose metadata paths answer as `answers` says; returns its issuer URL (with a path, like the embedded AS's). */
async function authorizationServer(answers: (path: string, issuer: string) => { status: number; body: string } | 'hang'): Promise<{ issuer: string; asked: string[] }> {
  const asked: string[] = [];
  let issuer = '';
  server = createServer((req, res) => {
    asked.push(req.url ?? '');
    const answer = answers(req.url ?? '', issuer);
    if (answer === 'hang') return;
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth`;
  return { issuer, asked };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = null;
});

describe('the AS metadata probe', () => {
  it('passes when the OpenID metadata names the configured issuer', async () => {
    const as = await authorizationServer((_path, issuer) => ({ status: 200, body: JSON.stringify({ issuer, token_endpoint: `${issuer}/token` }) }));
    await new MetadataProbe(as.issuer).probe(AbortSignal.timeout(2000));
    expect(as.asked).toEqual(['/oauth/.well-known/openid-configuration']);
  });

  it('falls back to RFC 8414 metadata, with the well-known segment before the issuer’s path', async () => {
    const as = await authorizationServer((path, issuer) => (path.startsWith('/.well-known/oauth-authorization-server') ? { status: 200, body: JSON.stringify({ issuer }) } : { status: 404, body: '{}' }));
    await new MetadataProbe(as.issuer).probe(AbortSignal.timeout(2000));
    expect(as.asked).toEqual(['/oauth/.well-known/openid-configuration', '/.well-known/oauth-authorization-server/oauth']);
  });

  it('fails with a plain sentence, never the body, when the AS answers wrongly or not at all', async () => {
    const secretish = 'internal stack trace with a session=abc123';
    const failing = await authorizationServer(() => ({ status: 500, body: secretish }));
    const error = await new MetadataProbe(failing.issuer).probe(AbortSignal.timeout(2000)).then(() => new Error('expected a failure'), (e: unknown) => e as Error);
    expect(error.message).toBe('its metadata answered HTTP 500');

    const impostor = new MetadataProbe(failing.issuer.replace('/oauth', '/elsewhere'), async () => new Response(JSON.stringify({ issuer: 'https://evil.example' }), { status: 200 }));
    expect(((await impostor.probe(AbortSignal.timeout(2000)).catch((e: unknown) => e)) as Error).message).toBe('its metadata names another issuer');

    const closed = new MetadataProbe('http://127.0.0.1:1/oauth');
    expect(((await closed.probe(AbortSignal.timeout(2000)).catch((e: unknown) => e)) as Error).message).toMatch(/^cannot connect/);
  });

  it('gives up when its signal says so', async () => {
    const slow = await authorizationServer(() => 'hang');
    const error = await new MetadataProbe(slow.issuer).probe(AbortSignal.timeout(100)).then(() => new Error('expected a failure'), (e: unknown) => e as Error);
    expect(error.name).toBe('TimeoutError');
  });
});
