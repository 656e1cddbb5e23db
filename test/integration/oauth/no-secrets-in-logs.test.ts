import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomFetch } from 'openid-client';
import { createTokenIssuer, loadBotKeys, OAuthError } from '../../../src/adapters/oauth/index.ts';
import { readOAuthConfig } from '../../../src/config/oauth.ts';
import { systemClock } from '../../../src/domain/clock.ts';
import { describeError } from '../../../src/app/issue-grant.ts';
import { createLogger } from '../../../src/logging/logger.ts';
import { exchangeInput } from '../../fakes/oauth/builders.ts';
import { serveDevAuthorizationServer, type ServedDevAuthorizationServer } from '../../fakes/oauth/dev-authorization-server-on-loopback.ts';
import { generatePrivateJwk } from '../../fakes/oauth/test-bot-keys.ts';

const SECRET = 'client-secret-that-must-never-be-logged-7d1e';
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'elevate-oauth-logs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Everything secret that crossed the wire: form values and the Authorization header. */
function recordingFetch(secrets: Set<string>): CustomFetch {
  return async (url, options) => {
    if (options.body !== undefined && options.body !== null) {
      for (const [name, value] of new URLSearchParams(String(options.body))) {
        if (['subject_token', 'actor_token', 'client_assertion', 'token'].includes(name)) secrets.add(value);
      }
    }
    const authorization = options.headers['authorization'];
    if (authorization) secrets.add(authorization.replace(/^Basic /, ''));
    const response = await fetch(url, options);
    const body = await response.clone().text();
    const accessToken = /"access_token":"([^"]+)"/.exec(body)?.[1];
    if (accessToken) secrets.add(accessToken);
    return response;
  };
}

describe.each(['client_secret_basic', 'private_key_jwt'] as const)('logs of a full exchange-and-revoke cycle with %s', (method) => {
  let served: ServedDevAuthorizationServer | undefined;
  afterAll(async () => served?.close());

  it('contain no token, client secret or private key material', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'trace', destination: { write: (line: string) => void lines.push(line) } });
    const secrets = new Set<string>([SECRET]);

    // Key files as an operator would provide them: a JWKS of signing keys and a PEM client key.
    const signingJwks = [await generatePrivateJwk('RS256'), await generatePrivateJwk('ES256')];
    const signingFile = join(dir, `${method}-signing.json`);
    writeFileSync(signingFile, JSON.stringify({ keys: signingJwks }), { mode: 0o600 });
    const pemFile = join(dir, `${method}-client.pem`);
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', pemFile], { stdio: 'ignore' });
    const pem = execFileSync('openssl', ['pkey', '-in', pemFile], { encoding: 'utf8' });
    for (const jwk of signingJwks) for (const member of PRIVATE_MEMBERS) if (typeof jwk[member] === 'string') secrets.add(jwk[member] as string);
    for (const line of pem.split('\n')) if (line.length > 40) secrets.add(line);

    // The dev AS needs the port before the config can name the issuer: start it first.
    const env = (issuer: string) => ({
      OAUTH_ISSUER: issuer,
      OAUTH_CLIENT_ID: 'elevate-bot',
      ELEVATE_SIGNING_KEYS_FILE: signingFile,
      ...(method === 'client_secret_basic' ? { OAUTH_CLIENT_SECRET: SECRET } : { OAUTH_PRIVATE_KEY_FILE: pemFile }),
    });
    const keysConfig = readOAuthConfig(env('http://127.0.0.1:1/oauth'), [], { publicUrl: 'http://127.0.0.1:1', dataDir: dir, nodeEnv: 'test' });
    const keys = await loadBotKeys(keysConfig, { logger });
    served = await serveDevAuthorizationServer({ keys, clientId: 'elevate-bot', auth: keysConfig.clientAuth.method === 'client_secret_basic' ? { method: 'client_secret_basic', secret: SECRET } : { method: 'private_key_jwt' }, logger });
    const problems: { key: string; message: string }[] = [];
    const config = readOAuthConfig(env(served.issuer), problems, { publicUrl: served.origin, dataDir: dir, nodeEnv: 'test' });
    expect(problems).toEqual([]);
    logger.info({ config }, 'oauth configuration');

    const issuer = await createTokenIssuer(config, { logger, clock: systemClock, keys, fetch: recordingFetch(secrets) });
    const token = await issuer.exchange(exchangeInput());
    secrets.add(token.accessToken);
    expect((await issuer.introspect(token.accessToken)).active).toBe(true);
    await issuer.revoke(token.accessToken);
    expect((await issuer.introspect(token.accessToken)).active).toBe(false);
    const refused = await issuer.exchange(exchangeInput({ scope: { name: 'x', oauthScope: 'nope', audience: 'https://db.internal.example' } })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OAuthError);
    logger.error({ err: refused, described: describeError(refused) }, 'as the core logs a failed exchange');

    expect(lines.join('')).toContain('token issued');
    expect(lines.join('')).toContain('DEVELOPMENT ONLY');
    expect(secrets.size).toBeGreaterThan(6);
    for (const line of lines) {
      for (const secret of secrets) expect(line.includes(secret), `a secret (${secret.slice(0, 6)}…) appears in: ${line.slice(0, 200)}`).toBe(false);
    }
  });
});
