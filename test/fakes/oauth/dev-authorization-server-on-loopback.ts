import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDevAuthorizationServer,
  createJwksHandler,
  type BotKeys,
  type DevApiClientsOptions,
  type DevBotClientAuth,
  type DevScopeDefinition,
} from '../../../src/adapters/oauth/index.ts';
import { silentLogger, type Logger } from '../../../src/logging/logger.ts';
import { listenOnLoopback } from './loopback-server.ts';

export const TEST_SCOPES: DevScopeDefinition[] = [
  { name: 'prod-db-admin', oauthScope: 'db:admin', audience: 'https://db.internal.example' },
  { name: 'prod-db-read', oauthScope: 'db:read db:list', audience: 'https://db.internal.example' },
  { name: 'k8s-admin', oauthScope: 'k8s:admin', audience: 'https://k8s.internal.example' },
];

export interface ServedDevAuthorizationServer {
  /** `http://127.0.0.1:<port>/oauth` */
  issuer: string;
  /** The API audience its API clients get tokens for: `<origin>/api`; null without API clients. */
  apiAudience: string | null;
  /** Its data directory (client and TOTP secrets); null without API clients. */
  dataDir: string | null;
  /** This server's origin: also the bot's `iss`, with its JWKS at /.well-known/jwks.json. */
  origin: string;
  /** Simulates an outage: while down, every connection to the AS is cut before it answers. */
  setAvailable(available: boolean): void;
  close(): Promise<void>;
}

/**
 * One loopback server laid out like Elevate's: the development AS mounted under `/oauth` and the
 * bot's JWKS at `/.well-known/jwks.json`, on a random port. The AS has its API clients (CLI and
 * service accounts, as main.ts wires it) unless `apiClients` is false, so every suite of the bot's
 * grants also runs with resource indicators and the device flow enabled; by default with no
 * principals and a data directory of its own, removed at close.
 */
export async function serveDevAuthorizationServer(options: {
  keys: BotKeys;
  clientId: string;
  auth: DevBotClientAuth;
  scopes?: DevScopeDefinition[];
  logger?: Logger;
  maxTokenTtlSec?: number;
  apiClients?: Partial<DevApiClientsOptions> | false;
  /** Paths on this server's origin the bot may be redirected to after signing a person in (authorization-code flow). */
  botRedirectPaths?: string[];
  /** The `iss` of the bot's assertions (Elevate's public URL); default this server's origin. */
  botAssertionIssuer?: string;
}): Promise<ServedDevAuthorizationServer> {
  let route: ((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void) | undefined;
  const jwks = createJwksHandler(options.keys);
  let available = true;
  const loopback = await listenOnLoopback((req, res) => {
    if (!available) return void req.socket.destroy();
    if (req.url === '/.well-known/jwks.json') return jwks(req, res);
    if (route && req.url?.startsWith('/oauth')) return route(req, res);
    res.writeHead(404).end();
  });
  const issuer = `${loopback.origin}/oauth`;
  const ownDataDir = options.apiClients === false || options.apiClients?.dataDir !== undefined ? null : await mkdtemp(join(tmpdir(), 'elevate-dev-as-'));
  const apiClients =
    options.apiClients === false
      ? null
      : { apiAudience: `${loopback.origin}/api`, dataDir: ownDataDir!, listPrincipals: async () => [], ...options.apiClients };
  const devAs = await createDevAuthorizationServer({
    issuer,
    botClient: { clientId: options.clientId, auth: options.auth, redirectUris: (options.botRedirectPaths ?? []).map((path) => `${loopback.origin}${path}`) },
    botAssertionIssuer: options.botAssertionIssuer ?? loopback.origin,
    botPublicJwks: () => options.keys.publicJwks(),
    listScopes: async () => options.scopes ?? TEST_SCOPES,
    logger: options.logger ?? silentLogger(),
    nodeEnv: 'test',
    ...(options.maxTokenTtlSec === undefined ? {} : { maxTokenTtlSec: options.maxTokenTtlSec }),
    ...(apiClients === null ? {} : { apiClients: apiClients as DevApiClientsOptions }),
  });
  route = devAs.handler;
  return {
    issuer,
    apiAudience: apiClients?.apiAudience ?? null,
    dataDir: apiClients?.dataDir ?? null,
    origin: loopback.origin,
    setAvailable: (up) => {
      available = up;
    },
    close: async () => {
      await loopback.close();
      if (ownDataDir !== null) await rm(ownDataDir, { recursive: true, force: true });
    },
  };
}
