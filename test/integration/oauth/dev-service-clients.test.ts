import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_SECRETS_FILE_NAME, createDevAuthorizationServer, type BotKeys, type DevApiClientsOptions, type DevPrincipal } from '../../../src/adapters/oauth/index.ts';
import { createLogger, silentLogger } from '../../../src/logging/logger.ts';
import { LogCapture } from '../../support/log-capture.ts';
import { aPrincipal } from '../../support/builders.ts';
import { serveDevAuthorizationServer, type ServedDevAuthorizationServer } from '../../fakes/oauth/dev-authorization-server-on-loopback.ts';
import { generateBotKeys } from '../../fakes/oauth/test-bot-keys.ts';

const BOT = 'elevate-bot';
const BOT_SECRET = 'dev-as-secret-0e5a';

let keys: BotKeys;
let dataDir: string;
let principals: DevPrincipal[];
const servers: ServedDevAuthorizationServer[] = [];

beforeAll(async () => {
  keys = (await generateBotKeys()).keys;
});
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'elevate-dev-clients-'));
  principals = [aPrincipal({ id: 'alice' }), aPrincipal({ id: 'ci-deployer', displayName: 'CI deployer', kind: 'service' })];
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function serve(overrides: Partial<DevApiClientsOptions> = {}, logger?: Parameters<typeof serveDevAuthorizationServer>[0]['logger']): Promise<ServedDevAuthorizationServer> {
  const served = await serveDevAuthorizationServer({
    keys,
    clientId: BOT,
    auth: { method: 'client_secret_basic', secret: BOT_SECRET },
    apiClients: { dataDir, listPrincipals: async () => principals, ...overrides },
    ...(logger ? { logger } : {}),
  });
  servers.push(served);
  return served;
}

function secretsFile(): string {
  return join(dataDir, CLIENT_SECRETS_FILE_NAME);
}

function secrets(): Record<string, string> {
  return JSON.parse(readFileSync(secretsFile(), 'utf8')) as Record<string, string>;
}

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

async function token(served: ServedDevAuthorizationServer, authorization: string, fields: Record<string, string>) {
  const response = await fetch(`${served.issuer}/token`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...fields }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function verify(served: ServedDevAuthorizationServer, accessToken: string) {
  const jwks = createRemoteJWKSet(new URL(`${served.issuer}/jwks`));
  return jwtVerify(accessToken, jwks, { issuer: served.issuer, audience: served.apiAudience!, typ: 'at+jwt', algorithms: ['RS256'] });
}

describe('service accounts at the development AS', () => {
  it('issues a service account an RFC 9068 token for the API with its generated secret', async () => {
    const served = await serve();
    const secret = secrets()['ci-deployer']!;
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);

    const issued = await token(served, basic('ci-deployer', secret), { resource: served.apiAudience! });
    expect(issued).toMatchObject({ status: 200, body: { token_type: 'Bearer', scope: 'elevate' } });
    expect(issued.body['expires_in']).toBeLessThanOrEqual(900);
    const { payload, protectedHeader } = await verify(served, issued.body['access_token'] as string);
    expect(protectedHeader).toMatchObject({ typ: 'at+jwt', alg: 'RS256' });
    expect(payload).toMatchObject({ iss: served.issuer, sub: 'ci-deployer', client_id: 'ci-deployer', aud: served.apiAudience, scope: 'elevate' });
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(900);
    expect(typeof payload.jti).toBe('string');
    expect(payload).not.toHaveProperty('auth_time');
  });

  it('gives a service account a token for the API when it names no resource', async () => {
    const served = await serve();
    const issued = await token(served, basic('ci-deployer', secrets()['ci-deployer']!), {});
    expect(issued.status).toBe(200);
    expect((await verify(served, issued.body['access_token'] as string)).payload.aud).toBe(served.apiAudience);
  });

  it('refuses a wrong secret', async () => {
    const served = await serve();
    const issued = await token(served, basic('ci-deployer', `${secrets()['ci-deployer']}x`), {});
    expect(issued).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('never gives a service account a token for a target system: that is what Elevate approves', async () => {
    const served = await serve();
    const auth = basic('ci-deployer', secrets()['ci-deployer']!);
    expect(await token(served, auth, { resource: 'https://db.internal.example', scope: 'db:admin' })).toMatchObject({ status: 400, body: { error: 'invalid_target' } });
    expect(await token(served, auth, { audience: 'https://db.internal.example' })).toMatchObject({ status: 400, body: { error: 'invalid_target' } });
    expect(await token(served, auth, { scope: 'db:admin' })).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
  });

  it('knows no client for a person or an unknown id', async () => {
    const served = await serve();
    expect(await token(served, basic('alice', 'anything'), {})).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await token(served, basic('nobody', 'anything'), {})).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(secrets()).not.toHaveProperty('alice');
  });

  it('follows the principals as the configuration changes, without a restart', async () => {
    const served = await serve();
    const old = secrets()['ci-deployer']!;
    principals.push(aPrincipal({ id: 'nightly-report', kind: 'service' }));
    // The first lookup of any service account writes the newcomer's secret.
    expect((await token(served, basic('ci-deployer', old), {})).status).toBe(200);
    const added = secrets()['nightly-report']!;
    expect(added).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await token(served, basic('nightly-report', added), {})).status).toBe(200);

    principals = principals.filter((principal) => principal.id !== 'ci-deployer');
    expect(await token(served, basic('ci-deployer', old), {})).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('keeps the secrets file at mode 0600 and the secrets across restarts', async () => {
    const first = await serve();
    expect(statSync(secretsFile()).mode & 0o777).toBe(0o600);
    const before = secrets();
    await servers.splice(servers.indexOf(first), 1)[0]!.close();

    principals.push(aPrincipal({ id: 'nightly-report', kind: 'service' }));
    const second = await serve();
    const after = secrets();
    expect(after['ci-deployer']).toBe(before['ci-deployer']);
    expect(Object.keys(after).sort()).toEqual(['ci-deployer', 'nightly-report']);
    expect(statSync(secretsFile()).mode & 0o777).toBe(0o600);
    expect((await token(second, basic('ci-deployer', before['ci-deployer']!), {})).status).toBe(200);
  });

  it('tightens a secrets file others could read', async () => {
    writeFileSync(secretsFile(), JSON.stringify({ 'ci-deployer': 'an-operator-chosen-secret-of-enough-length' }), { mode: 0o644 });
    chmodSync(secretsFile(), 0o644);
    const served = await serve();
    expect(statSync(secretsFile()).mode & 0o777).toBe(0o600);
    expect((await token(served, basic('ci-deployer', 'an-operator-chosen-secret-of-enough-length'), {})).status).toBe(200);
  });

  it('refuses to start on a damaged secrets file, naming the file and not its content', async () => {
    writeFileSync(secretsFile(), '{"ci-deployer": 42, "leaked": "do-not-print-me"}', { mode: 0o600 });
    const error = await serve().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'config_invalid' });
    expect((error as Error).message).toContain(secretsFile());
    expect((error as Error).message).not.toContain('do-not-print-me');
  });

  it('logs where the secrets are, never a secret', async () => {
    const capture = new LogCapture();
    const served = await serve({}, createLogger({ level: 'trace', destination: capture }));
    const secret = secrets()['ci-deployer']!;
    const issued = await token(served, basic('ci-deployer', secret), {});
    await token(served, basic('ci-deployer', 'wrong'), {});
    expect(capture.text()).toContain(secretsFile());
    expect(capture.text()).toContain('development AS issued an API token to a service account');
    expect(capture.text()).not.toContain(secret);
    expect(capture.text()).not.toContain(issued.body['access_token'] as string);
  });

  it('issues opaque API tokens that introspect with their audience when asked to', async () => {
    const served = await serve({ apiTokenFormat: 'opaque' });
    const issued = await token(served, basic('ci-deployer', secrets()['ci-deployer']!), {});
    expect(issued.status).toBe(200);
    const accessToken = issued.body['access_token'] as string;
    expect(accessToken.split('.')).toHaveLength(1);
    const response = await fetch(`${served.issuer}/token/introspection`, {
      method: 'POST',
      headers: { authorization: basic(BOT, BOT_SECRET), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ token: accessToken }),
    });
    expect(await response.json()).toMatchObject({ active: true, aud: served.apiAudience, client_id: 'ci-deployer', sub: 'ci-deployer', scope: 'elevate', iss: served.issuer });
  });

  it("keeps the bot's own client credentials to Elevate's scope definitions", async () => {
    const served = await serve();
    const issued = await token(served, basic(BOT, BOT_SECRET), { scope: 'k8s:admin', audience: 'https://k8s.internal.example' });
    expect(issued).toMatchObject({ status: 200, body: { scope: 'k8s:admin' } });
    expect((issued.body['access_token'] as string).split('.')).toHaveLength(1);
  });

  it('publishes the API clients in discovery', async () => {
    const served = await serve();
    const metadata = (await (await fetch(`${served.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({ device_authorization_endpoint: `${served.issuer}/device/auth`, jwks_uri: `${served.issuer}/jwks` });
    expect(metadata['grant_types_supported']).toEqual(expect.arrayContaining(['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token', 'client_credentials']));
    expect(metadata['token_endpoint_auth_methods_supported']).toEqual(expect.arrayContaining(['none', 'client_secret_basic', 'private_key_jwt']));
  });
});

describe('the development AS with NODE_ENV=production', () => {
  it('refuses to start, API clients or not, and writes no secrets', async () => {
    const attempt = createDevAuthorizationServer({
      issuer: 'http://127.0.0.1:1/oauth',
      botClient: { clientId: BOT, auth: { method: 'client_secret_basic', secret: BOT_SECRET } },
      botAssertionIssuer: 'http://127.0.0.1:1',
      botPublicJwks: () => keys.publicJwks(),
      listScopes: async () => [],
      logger: silentLogger(),
      nodeEnv: 'production',
      apiClients: { apiAudience: 'http://127.0.0.1:1/api', dataDir, listPrincipals: async () => principals },
    });
    await expect(attempt).rejects.toMatchObject({ code: 'config_invalid', message: expect.stringContaining('NODE_ENV=production') });
    expect(existsSync(secretsFile())).toBe(false);
  });
});
