import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { actorAssertionClaims, subjectAssertionClaims } from '../../../src/adapters/oauth/assertions/build-assertions.ts';
import { signAssertion } from '../../../src/adapters/oauth/assertions/sign-assertion.ts';
import type { BotKeys } from '../../../src/adapters/oauth/index.ts';
import { systemClock } from '../../../src/domain/clock.ts';
import { exchangeInput } from '../../fakes/oauth/builders.ts';
import { serveDevAuthorizationServer, type ServedDevAuthorizationServer } from '../../fakes/oauth/dev-authorization-server-on-loopback.ts';
import { generateBotKeys } from '../../fakes/oauth/test-bot-keys.ts';

const CLIENT_ID = 'elevate-bot';
const SECRET = 'dev-as-secret-0e5a';
const BASIC = `Basic ${Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64')}`;
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

let keys: BotKeys;
let served: ServedDevAuthorizationServer;

beforeAll(async () => {
  keys = (await generateBotKeys()).keys;
});
afterEach(async () => served?.close());

async function serve(): Promise<ServedDevAuthorizationServer> {
  served = await serveDevAuthorizationServer({ keys, clientId: CLIENT_ID, auth: { method: 'client_secret_basic', secret: SECRET } });
  return served;
}

async function post(path: string, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${served.issuer}${path}`, {
    method: 'POST',
    headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
}

/** Assertions as the bot would sign them, with parts overridden to play an attacker or a bug. */
async function exchangeForm(overrides: { subject?: Record<string, unknown>; actor?: Record<string, unknown> | null } = {}): Promise<Record<string, string>> {
  const context = { assertionIssuer: served.origin, authorizationServer: served.issuer, clientId: CLIENT_ID, clock: systemClock };
  const input = exchangeInput();
  const form: Record<string, string> = {
    grant_type: TOKEN_EXCHANGE,
    subject_token: await signAssertion({ ...subjectAssertionClaims(input, context), ...overrides.subject }, keys.signingKey),
    subject_token_type: JWT_TYPE,
    scope: 'db:admin',
    audience: 'https://db.internal.example',
  };
  if (overrides.actor !== null) {
    form['actor_token'] = await signAssertion({ ...actorAssertionClaims(input, context), ...overrides.actor }, keys.signingKey);
    form['actor_token_type'] = JWT_TYPE;
  }
  return form;
}

describe('the development AS mounted under /oauth', () => {
  it('publishes discovery under the prefix with every endpoint under it too', async () => {
    await serve();
    const response = await fetch(`${served.issuer}/.well-known/openid-configuration`);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer: served.issuer,
      token_endpoint: `${served.issuer}/token`,
      revocation_endpoint: `${served.issuer}/token/revocation`,
      introspection_endpoint: `${served.issuer}/token/introspection`,
    });
    expect(metadata['grant_types_supported']).toEqual(expect.arrayContaining([TOKEN_EXCHANGE, 'client_credentials']));
    expect(metadata['token_endpoint_auth_methods_supported']).toEqual(expect.arrayContaining(['client_secret_basic', 'private_key_jwt']));
  });

  it('serves the bot JWKS beside it without any private member', async () => {
    await serve();
    const jwks = (await (await fetch(`${served.origin}/.well-known/jwks.json`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(Object.keys(jwks.keys[0]!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  });
});

describe('the token-exchange grant of the development AS', () => {
  it('accepts each assertion only once', async () => {
    await serve();
    const form = await exchangeForm();
    expect((await post('/token', form)).status).toBe(200);
    const replay = await post('/token', form);
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_request', error_description: 'subject_token is invalid: it has already been used' } });
  });

  it('requires the actor assertion to name the authenticated client', async () => {
    await serve();
    const { body } = await post('/token', await exchangeForm({ actor: { sub: 'someone-else' } }));
    expect(body).toMatchObject({ error: 'invalid_request', error_description: 'actor_token must name the authenticated client as its subject' });
  });

  it('requires an actor assertion', async () => {
    await serve();
    const { body } = await post('/token', await exchangeForm({ actor: null }));
    expect(body).toMatchObject({ error: 'invalid_request', error_description: 'actor_token is required' });
  });

  it('refuses an expired subject assertion', async () => {
    await serve();
    const past = Math.floor(Date.now() / 1000) - 600;
    const { body } = await post('/token', await exchangeForm({ subject: { iat: past, exp: past + 60 } }));
    expect(body).toMatchObject({ error: 'invalid_request', error_description: 'subject_token is invalid: it has expired' });
  });

  it('refuses a subject assertion meant for another AS', async () => {
    await serve();
    const { body } = await post('/token', await exchangeForm({ subject: { aud: 'https://other-as.example' } }));
    expect(body).toMatchObject({ error: 'invalid_request', error_description: 'subject_token is invalid: claim aud is not acceptable' });
  });

  it('refuses an actor assertion without approvers', async () => {
    await serve();
    const { body } = await post('/token', await exchangeForm({ actor: { approvers: [] } }));
    expect(body).toMatchObject({ error: 'invalid_request', error_description: 'actor_token must list the approvers' });
  });
});

describe('client credentials at the development AS', () => {
  it('issues an opaque token for a defined scope that revocation really ends', async () => {
    await serve();
    const issued = await post('/token', { grant_type: 'client_credentials', scope: 'k8s:admin', audience: 'https://k8s.internal.example' });
    expect(issued).toMatchObject({ status: 200, body: { token_type: 'Bearer', scope: 'k8s:admin', expires_in: 3600 } });
    const token = issued.body['access_token'] as string;
    expect(token.split('.')).toHaveLength(1);
    expect((await post('/token/introspection', { token })).body).toMatchObject({ active: true, aud: 'https://k8s.internal.example', client_id: CLIENT_ID });
    expect((await post('/token/revocation', { token, token_type_hint: 'access_token' })).status).toBe(200);
    expect((await post('/token/introspection', { token })).body).toEqual({ active: false });
  }, 10_000);

  it('refuses a scope that no definition names', async () => {
    await serve();
    expect(await post('/token', { grant_type: 'client_credentials', scope: 'admin:everything' })).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
  });
});
