import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createDevAuthorizationServer, devAuthorizationServerSettings } from '../../../src/adapters/oauth/index.ts';
import { readOAuthConfig } from '../../../src/config/oauth.ts';
import { InMemoryAdapter, inMemoryStorage } from '../../../src/adapters/oauth/dev-server/in-memory-storage.ts';
import { mountUnderIssuerPath } from '../../../src/adapters/oauth/dev-server/mount-under-issuer-path.ts';
import { ReplayGuard } from '../../../src/adapters/oauth/dev-server/replay-guard.ts';
import { silentLogger } from '../../../src/logging/logger.ts';

function fakeResponse(): ServerResponse & { status?: number } {
  const res = { writeHead: (status: number) => ((res.status = status), res), end: () => res } as unknown as ServerResponse & { status?: number };
  return res;
}

describe('mounting the development AS under its issuer path', () => {
  it.each([
    ['/oauth/token', '/token'],
    ['/oauth/.well-known/openid-configuration', '/.well-known/openid-configuration'],
    ['/oauth', '/'],
    ['/oauth?x=1', '/?x=1'],
  ])('hands %s to oidc-provider as %s, keeping the original for its URLs', (url, routed) => {
    const seen: Array<{ url?: string; originalUrl?: string }> = [];
    const handler = mountUnderIssuerPath('http://localhost:3000/oauth', (req) => seen.push({ url: req.url, originalUrl: (req as IncomingMessage & { originalUrl?: string }).originalUrl }));
    handler({ url } as IncomingMessage, fakeResponse());
    expect(seen).toEqual([{ url: routed, originalUrl: url }]);
  });

  it('answers 404 for paths outside the issuer path without calling oidc-provider', () => {
    let called = false;
    const handler = mountUnderIssuerPath('http://localhost:3000/oauth', () => (called = true));
    const res = fakeResponse();
    handler({ url: '/oauthx/token' } as IncomingMessage, res);
    expect(res.status).toBe(404);
    expect(called).toBe(false);
  });
});

describe('the replay guard', () => {
  it('accepts a jti once and refuses it again until it expires', () => {
    const guard = new ReplayGuard();
    expect(guard.firstUse('a', 1060, 1000)).toBe(true);
    expect(guard.firstUse('a', 1060, 1030)).toBe(false);
    expect(guard.firstUse('b', 1060, 1030)).toBe(true);
    expect(guard.firstUse('a', 1200, 1061)).toBe(true);
  });
});

describe('the development AS storage', () => {
  it('forgets a token at its expiry and on destroy', async () => {
    let now = 1_000_000;
    const storage = inMemoryStorage(() => now);
    const tokens: InMemoryAdapter = storage.adapter('AccessToken');
    await tokens.upsert('t1', { jti: 't1' }, 60);
    await tokens.upsert('t2', { jti: 't2' }, 600);
    expect(await tokens.find('t1')).toEqual({ jti: 't1' });
    expect(await storage.adapter('ClientCredentials').find('t1')).toBeUndefined();
    now += 61_000;
    expect(await tokens.find('t1')).toBeUndefined();
    await tokens.destroy('t2');
    expect(await tokens.find('t2')).toBeUndefined();
  });
});

describe('the development AS', () => {
  it('refuses to start with NODE_ENV=production', async () => {
    const error = await createDevAuthorizationServer({
      issuer: 'https://elevate.example.com/oauth',
      botClient: { clientId: 'elevate', auth: { method: 'private_key_jwt' } },
      botAssertionIssuer: 'https://elevate.example.com',
      botPublicJwks: () => ({ keys: [] }),
      listScopes: async () => [],
      logger: silentLogger(),
      nodeEnv: 'production',
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'config_invalid', message: expect.stringContaining('NODE_ENV=production') });
  });
});

describe('development AS settings from the OAuth configuration', () => {
  it('register the bot the way it is configured to authenticate', () => {
    const context = { publicUrl: 'http://localhost:3000', dataDir: '/tmp/elevate', nodeEnv: 'development' };
    const keys = { publicJwks: () => ({ keys: [] }) };
    const withSecret = devAuthorizationServerSettings(readOAuthConfig({ OAUTH_CLIENT_SECRET: 'dev-secret' }, [], context), keys, { publicUrl: 'http://localhost:3000/' });
    expect(withSecret).toMatchObject({
      issuer: 'http://localhost:3000/oauth',
      botClient: {
        clientId: 'elevate',
        auth: { method: 'client_secret_basic', secret: 'dev-secret' },
        redirectUris: ['http://localhost:3000/auth/step-up/callback', 'http://localhost:3000/auth/sign-in/callback'],
      },
      botAssertionIssuer: 'http://localhost:3000',
    });
    expect(devAuthorizationServerSettings(readOAuthConfig({}, [], context), keys, context).botClient.auth).toEqual({ method: 'private_key_jwt' });
  });
});
