import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDevAuthorizationServer, createJwksHandler, createTokenIssuer, devAuthorizationServerSettings, loadBotKeys } from '../../../src/adapters/oauth/index.ts';
import { readOAuthConfig } from '../../../src/config/oauth.ts';
import { systemClock } from '../../../src/domain/clock.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { exchangeInput } from '../../fakes/oauth/builders.ts';
import { TEST_SCOPES } from '../../fakes/oauth/dev-authorization-server-on-loopback.ts';
import { listenOnLoopback, type LoopbackServer } from '../../fakes/oauth/loopback-server.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'elevate-embedded-'));
let server: LoopbackServer | undefined;
afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('embedded mode, wired the way main.ts does it', () => {
  it('serves the development AS and the JWKS on one server and completes an exchange-and-revoke cycle', async () => {
    const logger = silentLogger();
    let route: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
    server = await listenOnLoopback((req, res) => (route ? route(req, res) : res.writeHead(503).end()));

    // 1. Configuration: no OAUTH_ISSUER, so the issuer is $ELEVATE_PUBLIC_URL/oauth.
    const problems: { key: string; message: string }[] = [];
    const config = readOAuthConfig({}, problems, { publicUrl: server.origin, dataDir, nodeEnv: 'development' });
    expect(problems).toEqual([]);
    expect(config.issuer).toBe(`${server.origin}/oauth`);

    // 2. Keys: generated once in the data directory.
    const keys = await loadBotKeys(config, { logger });

    // 3. Routes of the one HTTP server.
    const devAs = await createDevAuthorizationServer({
      ...devAuthorizationServerSettings(config, keys, { publicUrl: server.origin }),
      listScopes: async () => TEST_SCOPES,
      logger,
      nodeEnv: 'development',
    });
    const jwks = createJwksHandler(keys);
    route = (req, res) => {
      if (req.url === '/.well-known/jwks.json') return jwks(req, res);
      if (req.url === '/oauth' || req.url?.startsWith('/oauth/')) return devAs.handler(req, res);
      res.writeHead(404).end();
    };

    // 4. The token issuer, once the server is listening (discovery is a real request to it).
    const issuer = await createTokenIssuer(config, { logger, clock: systemClock, keys });
    const token = await issuer.exchange(exchangeInput());
    expect(await issuer.introspect(token.accessToken)).toMatchObject({ active: true, sub: 'alice@example.com', act: { sub: 'elevate' } });
    await issuer.revoke(token.accessToken);
    expect((await issuer.introspect(token.accessToken)).active).toBe(false);

    // 5. Shutdown: the development AS forgets its tokens and stops answering.
    await devAs.close();
    await expect(issuer.introspect(token.accessToken)).rejects.toMatchObject({ code: 'issuer_unavailable', httpStatus: 503 });
  });
});
