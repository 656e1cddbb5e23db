import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { None, type CustomFetch, type ServerMetadata } from 'openid-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPersonAuthenticator } from '../../../src/adapters/oauth/person-sign-in/oidc-person-authenticator.ts';
import { isElevateError } from '../../../src/domain/errors.ts';
import type { PersonAuthenticator, RedeemRequest } from '../../../src/ports/person-authenticator.ts';

const ISSUER = 'https://id.example.com';
const CLIENT_ID = 'elevate';
const REDIRECT_URI = 'https://elevate.example.com/auth/step-up/callback';
const METADATA: ServerMetadata = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
  jwks_uri: `${ISSUER}/jwks`,
};

/**
 * The OpenID Connect client of step-up against a scripted provider: its token endpoint answers
 * whatever ID token a test signs, and its JWKS publishes the provider's real key. Each way an ID
 * token can be wrong must be refused as `step_up_refused`; a provider that is down is
 * `issuer_unavailable`.
 */
describe('the step-up OpenID Connect client', () => {
  let providerKey: CryptoKey;
  let forgerKey: CryptoKey;
  let publicJwk: JWK;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    providerKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    forgerKey = (await generateKeyPair('RS256')).privateKey;
  });

  function provider(answer: () => Promise<Response>): { authenticator: PersonAuthenticator; bodies: URLSearchParams[] } {
    const bodies: URLSearchParams[] = [];
    const fetch: CustomFetch = async (url, options) => {
      if (url === METADATA.jwks_uri) return Response.json({ keys: [publicJwk] });
      if (url === METADATA.token_endpoint) {
        bodies.push(new URLSearchParams(String(options.body)));
        return answer();
      }
      return new Response('not found', { status: 404 });
    };
    const authenticator = createPersonAuthenticator({ metadata: METADATA, clientId: CLIENT_ID, clientAuth: None(), fetch, timeoutMs: 5000, allowInsecureHttp: false });
    return { authenticator: authenticator!, bodies };
  }

  async function idToken(claims: Record<string, unknown>, key: CryptoKey = providerKey): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ sub: 'bob', nonce: 'the-nonce', auth_time: now - 10, acr: 'urn:example:mfa', amr: ['pwd', 'otp'], ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(String(claims['iss'] ?? ISSUER))
      .setAudience(String(claims['aud'] ?? CLIENT_ID))
      .setIssuedAt(now)
      .setExpirationTime(typeof claims['exp'] === 'number' ? claims['exp'] : now + 300)
      .sign(key);
  }

  const tokenResponse = (id_token: string | undefined) => async () => Response.json({ access_token: 'at', token_type: 'Bearer', ...(id_token ? { id_token } : {}) });

  const redeem = (overrides: Partial<RedeemRequest> = {}): RedeemRequest => ({
    callbackUrl: new URL('http://127.0.0.1:9/auth/step-up/callback?code=the-code&state=the-state'),
    redirectUri: REDIRECT_URI,
    state: 'the-state',
    nonce: 'the-nonce',
    codeVerifier: 'v'.repeat(43),
    maxAgeSec: 300,
    ...overrides,
  });

  async function refusalOf(promise: Promise<unknown>): Promise<{ code: string; reason: unknown }> {
    const error = await promise.then(
      () => null,
      (caught: unknown) => caught,
    );
    if (!isElevateError(error)) throw new Error(`expected an ElevateError, got ${String(error)}`);
    return { code: error.code, reason: error.details['reason'] };
  }

  it('asks for a fresh login at the scope’s level: code, PKCE S256, state, nonce, prompt=login, max_age, acr_values', () => {
    const { authenticator } = provider(tokenResponse(undefined));
    const url = authenticator.authorizationUrl({ redirectUri: REDIRECT_URI, state: 's', nonce: 'n', codeChallenge: 'c', acrValues: ['urn:a', 'urn:b'], maxAgeSec: 300 });
    expect(url.origin + url.pathname).toBe(METADATA.authorization_endpoint);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: CLIENT_ID,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: REDIRECT_URI,
      state: 's',
      nonce: 'n',
      code_challenge: 'c',
      code_challenge_method: 'S256',
      prompt: 'login',
      max_age: '300',
      acr_values: 'urn:a urn:b',
    });
    const plain = authenticator.authorizationUrl({ redirectUri: REDIRECT_URI, state: 's', nonce: 'n', codeChallenge: 'c', acrValues: [], maxAgeSec: 60 });
    expect(plain.searchParams.has('acr_values')).toBe(false);
  });

  it('redeems the code with the verifier and the registered redirect URI, and returns who signed in, how and when', async () => {
    const { authenticator, bodies } = provider(tokenResponse(await idToken({})));
    const evidence = await authenticator.redeem(redeem());
    expect(evidence).toEqual({ subject: 'bob', acr: 'urn:example:mfa', amr: ['pwd', 'otp'], authTime: expect.any(Date) });
    expect(Object.fromEntries(bodies[0]!)).toMatchObject({ grant_type: 'authorization_code', code: 'the-code', code_verifier: 'v'.repeat(43), redirect_uri: REDIRECT_URI });
  });

  it('refuses an ID token whose signature is not the provider’s', async () => {
    const { authenticator } = provider(tokenResponse(await idToken({}, forgerKey)));
    expect(await refusalOf(authenticator.redeem(redeem()))).toMatchObject({ code: 'step_up_refused' });
  });

  it.each([
    ['another issuer', { iss: 'https://evil.example.com' }],
    ['another audience', { aud: 'someone-else' }],
    ['another nonce (a replayed ID token)', { nonce: 'old-nonce' }],
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 3600 }],
    ['no auth_time', { auth_time: undefined }],
    ['an auth_time beyond max_age', { auth_time: Math.floor(Date.now() / 1000) - 3600 }],
  ])('refuses an ID token with %s', async (_name, claims) => {
    const { authenticator } = provider(tokenResponse(await idToken(claims)));
    expect(await refusalOf(authenticator.redeem(redeem()))).toMatchObject({ code: 'step_up_refused' });
  });

  it('refuses a token response without an ID token', async () => {
    const { authenticator } = provider(tokenResponse(undefined));
    expect(await refusalOf(authenticator.redeem(redeem()))).toMatchObject({ code: 'step_up_refused' });
  });

  it('refuses a callback whose state is not the one sent, without redeeming its code', async () => {
    const { authenticator, bodies } = provider(tokenResponse(await idToken({})));
    expect(await refusalOf(authenticator.redeem(redeem({ state: 'another-state' })))).toMatchObject({ code: 'step_up_refused' });
    expect(bodies).toEqual([]);
  });

  it('passes on the provider’s refusal (the person cancelled) as step_up_refused with its error code', async () => {
    const { authenticator, bodies } = provider(tokenResponse(undefined));
    const callbackUrl = new URL('http://127.0.0.1:9/auth/step-up/callback?error=access_denied&error_description=cancelled&state=the-state');
    expect(await refusalOf(authenticator.redeem(redeem({ callbackUrl })))).toEqual({ code: 'step_up_refused', reason: 'provider_error' });
    expect(bodies).toEqual([]);
  });

  it('says the provider is unavailable when its token endpoint fails', async () => {
    const { authenticator } = provider(async () => new Response('busy', { status: 503 }));
    expect((await refusalOf(authenticator.redeem(redeem()))).code).toBe('issuer_unavailable');
  });

  it('is not made for an OAuth server without an authorization endpoint', () => {
    const { authorization_endpoint: _omitted, ...oauthOnly } = METADATA;
    expect(createPersonAuthenticator({ metadata: oauthOnly, clientId: CLIENT_ID, clientAuth: None(), fetch: globalThis.fetch as CustomFetch, timeoutMs: 5000, allowInsecureHttp: false })).toBeNull();
  });
});
