import { afterEach, describe, expect, it } from 'vitest';
import { createTokenIssuer, OAuthError, type BotKeys } from '../../../src/adapters/oauth/index.ts';
import { systemClock } from '../../../src/domain/clock.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import type { TokenIssuer } from '../../../src/ports/token-issuer.ts';
import { exchangeInput, oauthConfigFor } from '../../fakes/oauth/builders.ts';
import { serveDevAuthorizationServer, type ServedDevAuthorizationServer } from '../../fakes/oauth/dev-authorization-server-on-loopback.ts';
import { generateBotKeys } from '../../fakes/oauth/test-bot-keys.ts';

const CLIENT_ID = 'elevate-bot';
const SECRET = 'dev-secret-6b1f0c2e9d';

type AuthMethod = 'client_secret_basic' | 'private_key_jwt';

let served: ServedDevAuthorizationServer | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

async function issuerAgainstDevAs(method: AuthMethod, options: { keys?: BotKeys; maxTokenTtlSec?: number } = {}): Promise<{ issuer: TokenIssuer; keys: BotKeys }> {
  const keys = options.keys ?? (await generateBotKeys()).keys;
  served = await serveDevAuthorizationServer({
    keys,
    clientId: CLIENT_ID,
    auth: method === 'client_secret_basic' ? { method, secret: SECRET } : { method },
    ...(options.maxTokenTtlSec === undefined ? {} : { maxTokenTtlSec: options.maxTokenTtlSec }),
  });
  const config = oauthConfigFor({ issuer: served.issuer, publicUrl: served.origin, clientId: CLIENT_ID, ...(method === 'client_secret_basic' ? { clientSecret: SECRET } : {}) });
  const issuer = await createTokenIssuer(config, { logger: silentLogger(), clock: systemClock, keys });
  return { issuer, keys };
}

describe.each<AuthMethod>(['client_secret_basic', 'private_key_jwt'])('token exchange at the development AS with %s', (method) => {
  it('issues a token for the scope and audience of the scope definition', async () => {
    const { issuer } = await issuerAgainstDevAs(method);
    const token = await issuer.exchange(exchangeInput());
    expect(token.accessToken).toMatch(/^[\w-]{20,}$/);
    expect(token.tokenType).toBe('Bearer');
    expect(token.issuedTokenType).toBe('urn:ietf:params:oauth:token-type:access_token');
    expect(token.scope).toBe('db:admin');
    const introspection = await issuer.introspect(token.accessToken);
    expect(introspection).toMatchObject({ active: true, scope: 'db:admin', aud: 'https://db.internal.example', clientId: CLIENT_ID });
  });

  it('shows the requester as subject and the bot and approvers as the delegation at introspection', async () => {
    const { issuer } = await issuerAgainstDevAs(method);
    const token = await issuer.exchange(exchangeInput({ grantId: 'grant-42' }));
    const introspection = await issuer.introspect(token.accessToken);
    expect(introspection.sub).toBe('alice@example.com');
    expect(introspection.act).toMatchObject({ sub: CLIENT_ID });
    expect(introspection['approvers']).toEqual(['bob@example.com', 'carol@example.com']);
    expect(introspection['grant_id']).toBe('grant-42');
  });

  it('makes the token inactive once it is revoked, and revoking it again still succeeds', async () => {
    const { issuer } = await issuerAgainstDevAs(method);
    const token = await issuer.exchange(exchangeInput());
    await issuer.revoke(token.accessToken);
    expect(await issuer.introspect(token.accessToken)).toEqual({ active: false });
    await expect(issuer.revoke(token.accessToken)).resolves.toBeUndefined();
  });
});

describe('the development AS caps the token lifetime', () => {
  it('ends the token with the approved window when the window is shorter than its maximum', async () => {
    const { issuer } = await issuerAgainstDevAs('client_secret_basic');
    const token = await issuer.exchange(exchangeInput({ windowEndsAt: new Date(Date.now() + 120_000) }));
    expect(token.expiresInSec).toBeGreaterThan(100);
    expect(token.expiresInSec).toBeLessThanOrEqual(120);
    const { exp } = await issuer.introspect(token.accessToken);
    expect(exp).toBeLessThanOrEqual(Math.ceil((Date.now() + 120_000) / 1000));
  });

  it('keeps its own maximum when the window is longer', async () => {
    const { issuer } = await issuerAgainstDevAs('client_secret_basic', { maxTokenTtlSec: 600 });
    const token = await issuer.exchange(exchangeInput({ windowEndsAt: new Date(Date.now() + 8 * 3600_000) }));
    expect(token.expiresInSec).toBe(600);
  });
});

describe('the development AS refuses what the scope definitions do not allow', () => {
  it('refuses a scope that no definition grants at that audience, as a final invalid_scope', async () => {
    const { issuer } = await issuerAgainstDevAs('client_secret_basic');
    const error = await issuer.exchange(exchangeInput({ scope: { name: 'x', oauthScope: 'k8s:admin', audience: 'https://db.internal.example' } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code: 'issuer_rejected', retryable: false, oauthError: 'invalid_scope', httpStatus: 400 });
  });

  it('refuses an audience that no definition names, as a final invalid_target', async () => {
    const { issuer } = await issuerAgainstDevAs('client_secret_basic');
    const error = await issuer.exchange(exchangeInput({ scope: { name: 'x', oauthScope: 'db:admin', audience: 'https://elsewhere.example' } })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'issuer_rejected', oauthError: 'invalid_target' });
  });

  it('refuses assertions signed by a key that is not in the bot JWKS', async () => {
    const registered = (await generateBotKeys()).keys;
    served = await serveDevAuthorizationServer({ keys: registered, clientId: CLIENT_ID, auth: { method: 'client_secret_basic', secret: SECRET } });
    const impostor = (await generateBotKeys()).keys;
    const config = oauthConfigFor({ issuer: served.issuer, publicUrl: served.origin, clientId: CLIENT_ID, clientSecret: SECRET });
    const issuer = await createTokenIssuer(config, { logger: silentLogger(), clock: systemClock, keys: impostor });
    const error = await issuer.exchange(exchangeInput()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'issuer_rejected', oauthError: 'invalid_request' });
    expect((error as OAuthError).oauthErrorDescription).toContain('subject_token');
  });

  it('refuses a window that has already ended', async () => {
    const { issuer } = await issuerAgainstDevAs('client_secret_basic');
    const error = await issuer.exchange(exchangeInput({ windowEndsAt: new Date(Date.now() - 1000) })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'issuer_rejected', oauthError: 'invalid_request' });
  });

  it('refuses a wrong client secret as a final invalid_client', async () => {
    const keys = (await generateBotKeys()).keys;
    served = await serveDevAuthorizationServer({ keys, clientId: CLIENT_ID, auth: { method: 'client_secret_basic', secret: SECRET } });
    const config = oauthConfigFor({ issuer: served.issuer, publicUrl: served.origin, clientId: CLIENT_ID, clientSecret: 'not-the-secret' });
    const issuer = await createTokenIssuer(config, { logger: silentLogger(), clock: systemClock, keys });
    const error = await issuer.exchange(exchangeInput()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'issuer_rejected', retryable: false, oauthError: 'invalid_client', httpStatus: 401 });
  });
});
