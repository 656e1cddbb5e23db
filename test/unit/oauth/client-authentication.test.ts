import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { ClientSecretBasic, type ClientMetadata, type ServerMetadata } from 'openid-client';
import { describe, expect, it } from 'vitest';
import { clientAuthentication, clientAuthenticator } from '../../../src/adapters/oauth/client/client-authentication.ts';
import { createBotKeys } from '../../../src/adapters/oauth/index.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const clock = new FakeClock('2026-01-05T10:00:00.000Z');
const NOW = Date.parse('2026-01-05T10:00:00.000Z') / 1000;
const as = { issuer: 'https://login.example.com/oauth' } as ServerMetadata;
const client = { client_id: 'elevate-bot' } as ClientMetadata;

async function keysFor(alg: string, options: { crv?: string } = {}) {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...options });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return createBotKeys([{ jwk: { ...jwk, alg: alg === 'Ed25519' ? 'EdDSA' : alg, kid }, alg: alg === 'Ed25519' ? 'EdDSA' : alg, kid }]);
}

async function authenticate(keys: Awaited<ReturnType<typeof createBotKeys>>): Promise<URLSearchParams> {
  const body = new URLSearchParams({ token: 'x' });
  await clientAuthentication(clientAuthenticator({ clientAuth: { method: 'private_key_jwt', keyFile: null } }, keys, clock))(as, client, body, new Headers());
  return body;
}

describe('private_key_jwt client authentication', () => {
  it.each(['RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'Ed25519'])('signs an RFC 7523 assertion that verifies with the published %s key', async (alg) => {
    const keys = await keysFor(alg);
    const body = await authenticate(keys);
    expect(body.get('client_id')).toBe('elevate-bot');
    expect(body.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const { payload, protectedHeader } = await jwtVerify(body.get('client_assertion')!, createLocalJWKSet(keys.publicJwks() as Parameters<typeof createLocalJWKSet>[0]), {
      issuer: 'elevate-bot',
      subject: 'elevate-bot',
      audience: as.issuer,
      currentDate: clock.now(),
    });
    expect(protectedHeader).toEqual({ alg: keys.clientAuthKey.alg, kid: keys.clientAuthKey.kid });
    expect(payload).toEqual({ iss: 'elevate-bot', sub: 'elevate-bot', aud: as.issuer, iat: NOW, nbf: NOW, exp: NOW + 60, jti: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
  });

  it('uses a fresh jti for every request, so the AS can refuse a replayed assertion', async () => {
    const keys = await keysFor('ES256');
    const jtis = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      const assertion = (await authenticate(keys)).get('client_assertion')!;
      jtis.add((JSON.parse(Buffer.from(assertion.split('.')[1]!, 'base64url').toString()) as { jti: string }).jti);
    }
    expect(jtis.size).toBe(20);
  });

  it('leaves the body alone and sends Basic credentials with client_secret_basic', async () => {
    const keys = await keysFor('ES256');
    const body = new URLSearchParams({ token: 'x' });
    const headers = new Headers();
    await clientAuthentication(clientAuthenticator({ clientAuth: { method: 'client_secret_basic', secret: 's3cr3t' } }, keys, clock))(as, client, body, headers);
    expect(body.has('client_assertion')).toBe(false);
    // RFC 6749 §2.3.1: both parts form-urlencoded before Base64, so "-" travels as "%2D".
    expect(Buffer.from(headers.get('authorization')!.replace(/^Basic /, ''), 'base64').toString()).toBe('elevate%2Dbot:s3cr3t');
  });

  it('form-urlencodes the client id and secret exactly as openid-client does', async () => {
    const keys = await keysFor('ES256');
    const secret = "a b-c_d.e!f~g*h'i(j)k:l%m+n/o";
    const ours = new Headers();
    await clientAuthentication(clientAuthenticator({ clientAuth: { method: 'client_secret_basic', secret } }, keys, clock))(as, client, new URLSearchParams(), ours);
    const theirs = new Headers();
    await ClientSecretBasic(secret)(as, client, new URLSearchParams(), theirs);
    expect(ours.get('authorization')).toBe(theirs.get('authorization'));
  });
});
