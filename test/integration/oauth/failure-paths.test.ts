import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTokenIssuer, OAuthError, type BotKeys } from '../../../src/adapters/oauth/index.ts';
import { systemClock } from '../../../src/domain/clock.ts';
import { ElevateError } from '../../../src/domain/errors.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import type { TokenIssuer } from '../../../src/ports/token-issuer.ts';
import { exchangeInput, oauthConfigFor } from '../../fakes/oauth/builders.ts';
import { unusedLoopbackOrigin } from '../../fakes/oauth/loopback-server.ts';
import {
  json,
  startMisbehavingAuthorizationServer,
  type Behaviour,
  type MetadataOptions,
  type MisbehavingAuthorizationServer,
} from '../../fakes/oauth/misbehaving-authorization-server.ts';
import { generateBotKeys } from '../../fakes/oauth/test-bot-keys.ts';

const SECRET = 'misbehaving-secret-51c3';

let keys: BotKeys;
let as: MisbehavingAuthorizationServer | undefined;

beforeAll(async () => {
  keys = (await generateBotKeys()).keys;
});

afterEach(async () => {
  await as?.close();
  as = undefined;
});

async function issuerAgainst(options: MetadataOptions = {}, timeoutMs?: number): Promise<TokenIssuer> {
  as = await startMisbehavingAuthorizationServer(options);
  const config = oauthConfigFor({ issuer: as.issuer, publicUrl: 'http://127.0.0.1:1', clientSecret: SECRET, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  return createTokenIssuer(config, { logger: silentLogger(), clock: systemClock, keys });
}

async function failure(promise: Promise<unknown>): Promise<OAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OAuthError);
  return error as OAuthError;
}

describe('token exchange failures become typed errors', () => {
  const cases: Array<{ name: string; behaviour: Behaviour; expected: Partial<OAuthError> }> = [
    {
      name: 'a 500 page',
      behaviour: { kind: 'respond', status: 500, body: '<h1>Internal Server Error</h1>', headers: { 'content-type': 'text/html' } },
      expected: { code: 'issuer_unavailable', retryable: true, reason: 'server_error', httpStatus: 500, oauthError: null },
    },
    {
      name: 'a 503 with an OAuth error body',
      behaviour: json(503, { error: 'temporarily_unavailable' }),
      expected: { code: 'issuer_unavailable', retryable: true, reason: 'server_error', httpStatus: 503, oauthError: 'temporarily_unavailable' },
    },
    {
      name: 'a 404 page at the token endpoint',
      behaviour: { kind: 'respond', status: 404, body: '<h1>Not Found</h1>', headers: { 'content-type': 'text/html' } },
      expected: { code: 'issuer_rejected', retryable: false, reason: 'unexpected_status', httpStatus: 404 },
    },
    {
      name: 'a 429 with Retry-After',
      behaviour: { kind: 'respond', status: 429, body: 'slow down', headers: { 'retry-after': '7' } },
      expected: { code: 'issuer_unavailable', retryable: true, reason: 'rate_limited', httpStatus: 429, retryAfterSec: 7 },
    },
    {
      name: 'invalid_scope',
      behaviour: json(400, { error: 'invalid_scope', error_description: 'scope db:admin is not allowed for this client' }),
      expected: { code: 'issuer_rejected', retryable: false, reason: 'error_response', httpStatus: 400, oauthError: 'invalid_scope', oauthErrorDescription: 'scope db:admin is not allowed for this client' },
    },
    {
      name: 'invalid_grant',
      behaviour: json(400, { error: 'invalid_grant' }),
      expected: { code: 'issuer_rejected', retryable: false, oauthError: 'invalid_grant', httpStatus: 400 },
    },
    {
      name: 'invalid_client with a WWW-Authenticate challenge',
      behaviour: json(401, { error: 'invalid_client', error_description: 'client authentication failed' }, { 'www-authenticate': 'Basic realm="as", error="invalid_client", error_description="client authentication failed"' }),
      expected: { code: 'issuer_rejected', retryable: false, oauthError: 'invalid_client', httpStatus: 401, oauthErrorDescription: 'client authentication failed' },
    },
    {
      name: 'unauthorized_client',
      behaviour: json(400, { error: 'unauthorized_client' }),
      expected: { code: 'issuer_rejected', retryable: false, oauthError: 'unauthorized_client' },
    },
    {
      name: 'malformed JSON',
      behaviour: { kind: 'respond', status: 200, body: '{"access_token": "at-', headers: { 'content-type': 'application/json' } },
      expected: { code: 'issuer_unavailable', retryable: true, reason: 'malformed_response' },
    },
    {
      name: 'HTML where JSON was due',
      behaviour: { kind: 'respond', status: 200, body: '<html>proxy login</html>', headers: { 'content-type': 'text/html' } },
      expected: { code: 'issuer_unavailable', retryable: true, reason: 'malformed_response' },
    },
    {
      name: 'a response missing access_token',
      behaviour: json(200, { token_type: 'Bearer', issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', expires_in: 300 }),
      expected: { code: 'issuer_rejected', retryable: false, reason: 'invalid_response' },
    },
    {
      name: 'a refresh token issued instead of an access token',
      behaviour: json(200, { access_token: 'rt-1', token_type: 'N_A', issued_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' }),
      expected: { code: 'issuer_rejected', retryable: false, reason: 'invalid_response' },
    },
  ];

  it.each(cases)('gives the right typed error for $name', async ({ behaviour, expected }) => {
    const issuer = await issuerAgainst();
    as!.behaviour.token = behaviour;
    const error = await failure(issuer.exchange(exchangeInput()));
    expect(error).toMatchObject(expected);
    const exchanges = as!.requests.filter((request) => request.path !== '/as/revoke');
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]!.body.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
  });

  it('explains a refusal in plain words without repeating what the AS said', async () => {
    const issuer = await issuerAgainst();
    as!.behaviour.token = json(400, { error: 'invalid_scope', error_description: 'echo of secret-ish input XYZZY' });
    const error = await failure(issuer.exchange(exchangeInput()));
    expect(error.message).toContain('does not allow this scope');
    expect(error.message).not.toContain('XYZZY');
    expect(error.name).toBe('OAuthError');
  });

  it('times out against an AS that never answers, as a retryable error', async () => {
    const issuer = await issuerAgainst({}, 200);
    as!.behaviour.token = { kind: 'hang' };
    const error = await failure(issuer.exchange(exchangeInput()));
    expect(error).toMatchObject({ code: 'issuer_unavailable', retryable: true, reason: 'timeout' });
  });

  it('reports an AS that went away as a retryable network error', async () => {
    const issuer = await issuerAgainst();
    await as!.close();
    as = undefined;
    const error = await failure(issuer.exchange(exchangeInput()));
    expect(error).toMatchObject({ code: 'issuer_unavailable', retryable: true, reason: 'network', httpStatus: null });
  });

  it('accepts the RFC 8693 token_type N_A and keeps the AS lifetime as said', async () => {
    const issuer = await issuerAgainst();
    as!.behaviour.token = json(200, { access_token: 'opaque-1', token_type: 'N_A', issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', expires_in: 86_400, scope: 'db:admin' });
    const token = await issuer.exchange(exchangeInput());
    expect(token).toEqual({ accessToken: 'opaque-1', tokenType: 'N_A', issuedTokenType: 'urn:ietf:params:oauth:token-type:access_token', expiresInSec: 86_400, scope: 'db:admin' });
  });

  it('revokes at once a refresh token the AS added to the exchange', async () => {
    const issuer = await issuerAgainst();
    as!.behaviour.token = json(200, { access_token: 'at-2', refresh_token: 'rt-2', token_type: 'Bearer', expires_in: 60 });
    await issuer.exchange(exchangeInput());
    const revocation = as!.requests.find((request) => request.path === '/as/revoke');
    expect(revocation?.body.get('token')).toBe('rt-2');
    expect(revocation?.body.get('token_type_hint')).toBe('refresh_token');
  });

  it('revokes the token and refresh token of an answer it refuses for the wrong issued_token_type', async () => {
    const issuer = await issuerAgainst();
    as!.behaviour.token = json(200, { access_token: 'id-3', refresh_token: 'rt-3', token_type: 'N_A', issued_token_type: 'urn:ietf:params:oauth:token-type:id_token' });
    const error = await failure(issuer.exchange(exchangeInput()));
    expect(error).toMatchObject({ code: 'issuer_rejected', reason: 'invalid_response' });
    const revoked = as!.requests.filter((request) => request.path === '/as/revoke').map((request) => [request.body.get('token'), request.body.get('token_type_hint')]);
    expect(revoked).toEqual([
      ['id-3', 'access_token'],
      ['rt-3', 'refresh_token'],
    ]);
  });

  it('revokes a refresh token sent where an access token was due with the refresh_token hint', async () => {
    const issuer = await issuerAgainst();
    as!.behaviour.token = json(200, { access_token: 'rt-4', token_type: 'N_A', issued_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' });
    await failure(issuer.exchange(exchangeInput()));
    const revocation = as!.requests.find((request) => request.path === '/as/revoke');
    expect([revocation?.body.get('token'), revocation?.body.get('token_type_hint')]).toEqual(['rt-4', 'refresh_token']);
  });
});

describe('the exchange request', () => {
  it('sends the RFC 8693 parameters and authenticates with client_secret_basic', async () => {
    const issuer = await issuerAgainst();
    await issuer.exchange(exchangeInput());
    const [request] = as!.requests;
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before Base64.
    const [id, secret] = Buffer.from(request!.authorization!.replace(/^Basic /, ''), 'base64').toString('utf8').split(':');
    expect([decodeURIComponent(id!), decodeURIComponent(secret!)]).toEqual(['elevate-bot', SECRET]);
    expect(Object.fromEntries(request!.body)).toMatchObject({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      actor_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      scope: 'db:admin',
      audience: 'https://db.internal.example',
    });
    expect(request!.body.has('resource')).toBe(false);
  });

  it('sends the audience as an RFC 8707 resource when configured so', async () => {
    as = await startMisbehavingAuthorizationServer();
    const config = oauthConfigFor({ issuer: as.issuer, publicUrl: 'http://127.0.0.1:1', clientSecret: SECRET, env: { OAUTH_AUDIENCE_PARAMETER: 'resource' } });
    const issuer = await createTokenIssuer(config, { logger: silentLogger(), clock: systemClock, keys });
    await issuer.exchange(exchangeInput());
    expect(as.requests[0]!.body.get('resource')).toBe('https://db.internal.example');
    expect(as.requests[0]!.body.has('audience')).toBe(false);
  });
});

describe('the subject token type', () => {
  it('is the one configured, for an AS that wants its own URI', async () => {
    as = await startMisbehavingAuthorizationServer();
    const config = oauthConfigFor({ issuer: as.issuer, publicUrl: 'http://127.0.0.1:1', clientSecret: SECRET, env: { OAUTH_SUBJECT_TOKEN_TYPE: 'urn:example:elevate-assertion' } });
    const issuer = await createTokenIssuer(config, { logger: silentLogger(), clock: systemClock, keys });
    await issuer.exchange(exchangeInput());
    expect(as.requests[0]!.body.get('subject_token_type')).toBe('urn:example:elevate-assertion');
    expect(as.requests[0]!.body.get('actor_token_type')).toBe('urn:ietf:params:oauth:token-type:jwt');
  });
});

describe('revocation and introspection failures become typed errors', () => {
  it('marks a revocation answered with 503 as retryable', async () => {
    const issuer = await issuerAgainst();
    as!.behaviour.revocation = { kind: 'respond', status: 503, body: 'maintenance' };
    const error = await failure(issuer.revoke('some-token'));
    expect(error).toMatchObject({ code: 'issuer_unavailable', retryable: true, operation: 'revocation', httpStatus: 503 });
    expect(as!.requests[0]!.body.get('token_type_hint')).toBe('access_token');
  });

  it('marks unsupported_token_type at revocation as final', async () => {
    const issuer = await issuerAgainst();
    as!.behaviour.revocation = json(400, { error: 'unsupported_token_type' });
    const error = await failure(issuer.revoke('some-token'));
    expect(error).toMatchObject({ code: 'issuer_rejected', retryable: false, oauthError: 'unsupported_token_type' });
  });

  // Revocation is sent by Elevate's own RFC 7009 request (the sweeper's hot path), not through
  // openid-client; these pin that it judges every answer as the rest of the client does.
  const revocationCases: Array<{ name: string; behaviour: Behaviour; expected: Partial<OAuthError> }> = [
    {
      name: 'a 401 with a WWW-Authenticate challenge',
      behaviour: { kind: 'respond', status: 401, body: '', headers: { 'www-authenticate': 'Basic error="invalid_client", error_description="unknown client"' } },
      expected: { code: 'issuer_rejected', retryable: false, reason: 'error_response', oauthError: 'invalid_client', oauthErrorDescription: 'unknown client', httpStatus: 401 },
    },
    {
      name: 'a 429 with Retry-After',
      behaviour: json(429, { error: 'slow_down' }, { 'retry-after': '7' }),
      expected: { code: 'issuer_unavailable', retryable: true, reason: 'rate_limited', retryAfterSec: 7 },
    },
    {
      name: 'a 503 with an OAuth error body',
      behaviour: json(503, { error: 'temporarily_unavailable' }),
      expected: { code: 'issuer_unavailable', retryable: true, reason: 'server_error', oauthError: 'temporarily_unavailable' },
    },
    {
      name: 'a redirect, which is not followed',
      behaviour: { kind: 'respond', status: 302, body: '', headers: { location: 'http://attacker.example/collect' } },
      expected: { code: 'issuer_rejected', retryable: false, reason: 'unexpected_status', httpStatus: 302 },
    },
    {
      name: 'a 204 where RFC 7009 says 200',
      behaviour: { kind: 'respond', status: 204, body: '' },
      expected: { code: 'issuer_unavailable', retryable: true, reason: 'malformed_response', httpStatus: 204 },
    },
    {
      name: 'a 404 page',
      behaviour: { kind: 'respond', status: 404, body: '<h1>Not Found</h1>', headers: { 'content-type': 'text/html' } },
      expected: { code: 'issuer_rejected', retryable: false, reason: 'unexpected_status', httpStatus: 404, oauthError: null },
    },
  ];
  it.each(revocationCases)('judges a revocation answered with $name', async ({ behaviour, expected }) => {
    const issuer = await issuerAgainst();
    as!.behaviour.revocation = behaviour;
    const error = await failure(issuer.revoke('token-that-must-not-leak'));
    expect(error).toMatchObject({ operation: 'revocation', ...expected });
    expect(JSON.stringify({ message: error.message, details: error.details, cause: String(error.cause) })).not.toContain('token-that-must-not-leak');
  });

  it('sends the revocation as a form POST authenticated like every other request', async () => {
    const issuer = await issuerAgainst();
    await issuer.exchange(exchangeInput());
    await issuer.revoke('token-to-revoke');
    const [exchange, revocation] = as!.requests;
    expect(revocation!.path).toBe('/as/revoke');
    expect(Object.fromEntries(revocation!.body)).toEqual({ token: 'token-to-revoke', token_type_hint: 'access_token' });
    expect(revocation!.authorization).toMatch(/^Basic /);
    expect(revocation!.authorization).toBe(exchange!.authorization);
  });

  it('times out a revocation the AS never answers, as retryable', async () => {
    const issuer = await issuerAgainst({}, 200);
    as!.behaviour.revocation = { kind: 'hang' };
    const error = await failure(issuer.revoke('some-token'));
    expect(error).toMatchObject({ code: 'issuer_unavailable', retryable: true, operation: 'revocation', reason: 'timeout' });
  });

  it('reports a revocation to an AS that went away as a retryable network failure', async () => {
    const issuer = await issuerAgainst();
    await as!.close();
    as = undefined;
    const error = await failure(issuer.revoke('some-token'));
    expect(error).toMatchObject({ code: 'issuer_unavailable', retryable: true, operation: 'revocation', reason: 'network' });
  });

  it('marks introspection answered with malformed JSON as retryable', async () => {
    const issuer = await issuerAgainst();
    as!.behaviour.introspection = { kind: 'respond', status: 200, body: '{', headers: { 'content-type': 'application/json' } };
    const error = await failure(issuer.introspect('some-token'));
    expect(error).toMatchObject({ code: 'issuer_unavailable', retryable: true, operation: 'introspection', reason: 'malformed_response' });
  });

  it('reports an AS without an introspection endpoint as final, without calling it', async () => {
    const issuer = await issuerAgainst({ introspection: false });
    const error = await failure(issuer.introspect('some-token'));
    expect(error).toMatchObject({ code: 'issuer_rejected', reason: 'unsupported' });
    expect(as!.requests).toHaveLength(0);
  });
});

describe('discovery', () => {
  it('fails with a retryable error when the AS is unreachable', async () => {
    const config = oauthConfigFor({ issuer: `${await unusedLoopbackOrigin()}/as`, publicUrl: 'http://127.0.0.1:1', clientSecret: SECRET });
    const error = await failure(createTokenIssuer(config, { logger: silentLogger(), clock: systemClock, keys }));
    expect(error).toMatchObject({ code: 'issuer_unavailable', retryable: true, operation: 'discovery', reason: 'network' });
  });

  it('falls back to RFC 8414 metadata when there is no OpenID discovery document', async () => {
    const issuer = await issuerAgainst({ discovery: 'rfc8414' });
    await expect(issuer.exchange(exchangeInput())).resolves.toMatchObject({ accessToken: 'at-from-misbehaving-as' });
  });

  it('refuses an AS that does not advertise the token-exchange grant', async () => {
    const error = await issuerAgainst({ grantTypes: ['client_credentials'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ElevateError);
    expect(error).toMatchObject({ code: 'config_invalid' });
    expect((error as Error).message).toContain('urn:ietf:params:oauth:grant-type:token-exchange');
  });

  it('refuses an AS without a revocation endpoint', async () => {
    const error = await issuerAgainst({ revocation: false }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'config_invalid' });
    expect((error as Error).message).toContain('revocation_endpoint');
  });
});
