import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { OAuthAccessTokenVerifier, type ApiTokenSettings } from '../../../src/adapters/oauth/api-tokens/oauth-access-token-verifier.ts';
import { ASYMMETRIC_ALGORITHMS } from '../../../src/config/api.ts';
import { isElevateError } from '../../../src/domain/errors.ts';
import type { TokenIntrospection } from '../../../src/ports/token-issuer.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const ISSUER = 'https://as.example.com';
const AUDIENCE = 'https://elevate.example.com/api';
const SETTINGS: ApiTokenSettings = { audience: AUDIENCE, tokenValidation: 'auto', algorithms: ASYMMETRIC_ALGORITHMS, jwtTypes: ['at+jwt'], clientClaim: 'client_id' };

let signingKey: CryptoKey;
let publicJwk: JWK;
let strangerKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'as-key-1', alg: 'RS256', use: 'sig' };
  strangerKey = (await generateKeyPair('RS256')).privateKey;
});

function verifierAt(clock: FakeClock, options: { introspect?: (token: string) => Promise<TokenIntrospection>; settings?: Partial<ApiTokenSettings> } = {}) {
  return new OAuthAccessTokenVerifier(
    { ...SETTINGS, ...options.settings },
    { issuer: ISSUER, jwksUri: null, keys: createLocalJWKSet({ keys: [publicJwk] }), introspect: options.introspect ?? null, clock },
  );
}

/** A JWT access token as an RFC 9068 AS issues it; each test changes only what it is about. */
async function anAccessToken(clock: FakeClock, change: { claims?: Record<string, unknown>; header?: Record<string, unknown>; key?: CryptoKey } = {}): Promise<string> {
  const nowSec = Math.floor(clock.now().getTime() / 1000);
  const claims = { iss: ISSUER, aud: AUDIENCE, sub: 'alice', iat: nowSec, exp: nowSec + 600, jti: 'jti-1', client_id: 'elevate-cli', scope: 'openid', ...change.claims };
  const header = { alg: 'RS256', typ: 'at+jwt', kid: 'as-key-1', ...change.header };
  return new SignJWT(withoutUndefined(claims)).setProtectedHeader(withoutUndefined(header) as { alg: string }).sign(change.key ?? signingKey);
}

async function refusalOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(isElevateError(error, 'unauthenticated'), `expected a refusal, got ${String(error)}`).toBe(true);
  return String((error as { details: Record<string, unknown> }).details['reason']);
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('JWT access tokens (RFC 9068)', () => {
  it('accepts a token signed by the AS for the API and reports its subject, client and expiry', async () => {
    const clock = new FakeClock();
    const verified = await verifierAt(clock).verify(await anAccessToken(clock));
    expect(verified).toMatchObject({ subject: 'alice', clientId: 'elevate-cli', checkedBy: 'jwt' });
    expect(verified.expiresAt?.getTime()).toBe(clock.now().getTime() + 600_000);
    expect(verified.claims).toMatchObject({ scope: 'openid', iss: ISSUER });
  });

  it('accepts application/at+jwt as the same type', async () => {
    const clock = new FakeClock();
    await expect(verifierAt(clock).verify(await anAccessToken(clock, { header: { typ: 'application/at+jwt' } }))).resolves.toMatchObject({ subject: 'alice' });
  });

  it.each([
    ['another issuer', { claims: { iss: 'https://evil.example.com' } }],
    ['another audience', { claims: { aud: 'https://db.example.com' } }],
    ['an ID token type', { header: { typ: 'JWT' } }],
    ['no type', { header: { typ: undefined } }],
  ])('refuses a token with %s', async (_what, change) => {
    const clock = new FakeClock();
    await refusalOf(verifierAt(clock).verify(await anAccessToken(clock, change)));
  });

  it('refuses an expired token once the clock tolerance has passed, and a token not valid yet', async () => {
    const clock = new FakeClock();
    const token = await anAccessToken(clock);
    clock.advance(600 + 29);
    await expect(verifierAt(clock).verify(token)).resolves.toBeDefined();
    clock.advance(2);
    expect(await refusalOf(verifierAt(clock).verify(token))).toBe('ERR_JWT_EXPIRED');
    const early = new FakeClock();
    const notYet = await anAccessToken(early, { claims: { nbf: Math.floor(early.now().getTime() / 1000) + 120 } });
    await refusalOf(verifierAt(early).verify(notYet));
  });

  it('refuses a token without exp', async () => {
    const clock = new FakeClock();
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'as-key-1' }).setIssuer(ISSUER).setAudience(AUDIENCE).setSubject('alice').sign(signingKey);
    await refusalOf(verifierAt(clock).verify(token));
  });

  it('refuses a token signed by a key that is not in the JWKS', async () => {
    const clock = new FakeClock();
    await refusalOf(verifierAt(clock).verify(await anAccessToken(clock, { key: strangerKey })));
    await refusalOf(verifierAt(clock).verify(await anAccessToken(clock, { key: strangerKey, header: { kid: 'unknown-kid' } })));
  });

  it('refuses alg none', async () => {
    const clock = new FakeClock();
    const nowSec = Math.floor(clock.now().getTime() / 1000);
    const token = `${base64url({ alg: 'none', typ: 'at+jwt' })}.${base64url({ iss: ISSUER, aud: AUDIENCE, sub: 'alice', exp: nowSec + 600 })}.`;
    await refusalOf(verifierAt(clock).verify(token));
  });

  it('refuses HS256 "signed" with the public key as the secret (key confusion)', async () => {
    const clock = new FakeClock();
    const nowSec = Math.floor(clock.now().getTime() / 1000);
    const signingInput = `${base64url({ alg: 'HS256', typ: 'at+jwt', kid: 'as-key-1' })}.${base64url({ iss: ISSUER, aud: AUDIENCE, sub: 'alice', exp: nowSec + 600 })}`;
    for (const secret of [JSON.stringify(publicJwk), publicJwk.n!]) {
      const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
      await refusalOf(verifierAt(clock).verify(`${signingInput}.${signature}`));
    }
  });

  it('refuses an algorithm left out of the allow-list', async () => {
    const clock = new FakeClock();
    expect(await refusalOf(verifierAt(clock, { settings: { algorithms: ['ES256'] } }).verify(await anAccessToken(clock)))).toBe('ERR_JOSE_ALG_NOT_ALLOWED');
  });

  it('refuses a tampered payload', async () => {
    const clock = new FakeClock();
    const [header, , signature] = (await anAccessToken(clock)).split('.');
    const nowSec = Math.floor(clock.now().getTime() / 1000);
    await refusalOf(verifierAt(clock).verify(`${header}.${base64url({ iss: ISSUER, aud: AUDIENCE, sub: 'erin', exp: nowSec + 600 })}.${signature}`));
  });

  it('reads the client from the configured claim', async () => {
    const clock = new FakeClock();
    const token = await anAccessToken(clock, { claims: { azp: 'ci-deployer', client_id: undefined } });
    await expect(verifierAt(clock, { settings: { clientClaim: 'azp' } }).verify(token)).resolves.toMatchObject({ clientId: 'ci-deployer' });
  });
});

describe('opaque tokens (RFC 7662 introspection)', () => {
  function countingIntrospection(answer: (token: string) => TokenIntrospection) {
    const calls: string[] = [];
    return { calls, introspect: async (token: string) => (calls.push(token), answer(token)) };
  }

  it('accepts an active token for the API audience and reuses the answer for at most 30 s', async () => {
    const clock = new FakeClock();
    const as = countingIntrospection(() => ({ active: true, sub: 'alice', aud: AUDIENCE, clientId: 'elevate-cli', exp: Math.floor(clock.now().getTime() / 1000) + 3600 }));
    const verifier = verifierAt(clock, { introspect: as.introspect });
    await expect(verifier.verify('opaque-token-1')).resolves.toMatchObject({ subject: 'alice', clientId: 'elevate-cli', checkedBy: 'introspection' });
    clock.advance(29);
    await verifier.verify('opaque-token-1');
    expect(as.calls).toHaveLength(1);
    clock.advance(2);
    await verifier.verify('opaque-token-1');
    expect(as.calls).toHaveLength(2);
  });

  it('never reuses an answer past the token\'s exp', async () => {
    const clock = new FakeClock();
    const exp = Math.floor(clock.now().getTime() / 1000) + 10;
    const as = countingIntrospection(() => ({ active: true, sub: 'alice', aud: AUDIENCE, exp }));
    const verifier = verifierAt(clock, { introspect: as.introspect });
    await verifier.verify('opaque-token-2');
    clock.advance(11);
    expect(await refusalOf(verifier.verify('opaque-token-2'))).toBe('expired');
    expect(as.calls).toHaveLength(2);
  });

  it('refuses an elevated token minted for another audience (it must not open the API)', async () => {
    const clock = new FakeClock();
    const as = countingIntrospection(() => ({ active: true, sub: 'alice', aud: 'https://db.example.com', scope: 'db:admin' }));
    expect(await refusalOf(verifierAt(clock, { introspect: as.introspect }).verify('elevated-db-token'))).toBe('wrong_audience');
  });

  it('refuses an inactive token, a token without an audience and one from another issuer', async () => {
    const clock = new FakeClock();
    const answers: Record<string, TokenIntrospection> = {
      inactive: { active: false },
      'no-audience': { active: true, sub: 'alice' },
      'other-issuer': { active: true, sub: 'alice', aud: AUDIENCE, iss: 'https://evil.example.com' },
    };
    const verifier = verifierAt(clock, { introspect: async (token) => answers[token]! });
    expect(await refusalOf(verifier.verify('inactive'))).toBe('inactive');
    expect(await refusalOf(verifier.verify('no-audience'))).toBe('wrong_audience');
    expect(await refusalOf(verifier.verify('other-issuer'))).toBe('wrong_issuer');
  });

  it('refuses what is not a bearer token at all without asking the AS', async () => {
    const clock = new FakeClock();
    const as = countingIntrospection(() => ({ active: true, sub: 'alice', aud: AUDIENCE }));
    const verifier = verifierAt(clock, { introspect: as.introspect });
    for (const token of ['', 'has space', 'x'.repeat(9000), 'tab\there']) await refusalOf(verifier.verify(token));
    expect(as.calls).toHaveLength(0);
  });

  it('introspects every token, JWTs too, when told to', async () => {
    const clock = new FakeClock();
    const as = countingIntrospection(() => ({ active: true, sub: 'alice', aud: AUDIENCE }));
    const verifier = verifierAt(clock, { introspect: as.introspect, settings: { tokenValidation: 'introspection' } });
    await expect(verifier.verify(await anAccessToken(clock, { key: strangerKey }))).resolves.toMatchObject({ checkedBy: 'introspection' });
  });
});
