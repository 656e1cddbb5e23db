import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import { Provider, type IssuableToken } from 'oidc-provider';
import type { JwksDocument } from '../keys/public-jwk.ts';
import type { Logger } from '../../../logging/logger.ts';
import { TOKEN_EXCHANGE_GRANT_TYPE } from '../token-types.ts';
import { CLIENT_CREDENTIALS_DUPLICATES, CLIENT_CREDENTIALS_PARAMETERS, clientCredentialsGrant } from './client-credentials-grant.ts';
import { inMemoryStorage } from './in-memory-storage.ts';
import { productionRefusal } from './load-dev-authorization-server.ts';
import { mountUnderIssuerPath } from './mount-under-issuer-path.ts';
import { ReplayGuard } from './replay-guard.ts';
import type { ListScopes } from './scope-catalogue.ts';
import { TOKEN_EXCHANGE_DUPLICATES, TOKEN_EXCHANGE_PARAMETERS, tokenExchangeGrant, type DelegationClaims } from './token-exchange-grant.ts';

/** How the bot authenticates to the development AS: the same two methods as to a real one. */
export type DevBotClientAuth = { method: 'client_secret_basic'; secret: string } | { method: 'private_key_jwt' };

export interface DevAuthorizationServerOptions {
  /** Issuer identifier, including the mount path: `http://localhost:3000/oauth`. */
  issuer: string;
  botClient: { clientId: string; auth: DevBotClientAuth };
  /** `iss` of the bot's assertions: Elevate's public URL. */
  botAssertionIssuer: string;
  /** The bot's public keys: verify its assertions and its `private_key_jwt` authentication. */
  botPublicJwks: () => JwksDocument | Promise<JwksDocument>;
  /** Elevate's scope definitions: the only scopes and audiences this AS grants. */
  listScopes: ListScopes;
  logger: Logger;
  nodeEnv: string;
  /** Longest token lifetime, in seconds, whatever the window. Default one hour. */
  maxTokenTtlSec?: number;
  /** Trust `X-Forwarded-Proto`/`-Host` from a TLS-offloading proxy in front of this server. */
  trustProxy?: boolean;
}

export interface DevAuthorizationServer {
  readonly issuer: string;
  /**
   * Node handler for every request whose path starts with the issuer's path (`/oauth…`). Give it
   * the request untouched: full path, unread body.
   */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** Forgets every token and answers 503 from then on. */
  close(): Promise<void>;
}

const DEFAULT_MAX_TTL_SEC = 3600;

/**
 * A development-only authorization server (panva's oidc-provider) with Elevate's token-exchange
 * grant, client credentials, RFC 7009 revocation and RFC 7662 introspection. Tokens are opaque and
 * kept in memory, so revocation is real and a restart forgets every token. Refuses to run with
 * NODE_ENV=production.
 */
export async function createDevAuthorizationServer(options: DevAuthorizationServerOptions): Promise<DevAuthorizationServer> {
  if (options.nodeEnv === 'production') throw productionRefusal();
  const logger = options.logger.child({ component: 'dev-authorization-server' });
  const maxTtlSec = options.maxTokenTtlSec ?? DEFAULT_MAX_TTL_SEC;
  const delegation = new WeakMap<IssuableToken, DelegationClaims>();
  const storage = inMemoryStorage();
  let closed = false;

  const provider = new Provider(options.issuer, {
    adapter: storage.adapter,
    clients: [await botClientMetadata(options)],
    jwks: { keys: [await ephemeralSigningKey()] },
    clientAuthMethods: ['client_secret_basic', 'private_key_jwt'],
    responseTypes: ['none'],
    scopes: [],
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      resourceIndicators: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: async (_ctx: unknown, client: { clientAuthMethod: string }) => client.clientAuthMethod !== 'none' },
      revocation: { enabled: true, allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId: string }) => token.clientId === client.clientId },
    },
    ttl: { AccessToken: maxTtlSec, ClientCredentials: maxTtlSec },
    extraTokenClaims: async (_ctx: unknown, token: IssuableToken) => delegation.get(token),
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub }) }),
  });
  provider.proxy = options.trustProxy ?? false;

  provider.registerGrantType(
    TOKEN_EXCHANGE_GRANT_TYPE,
    tokenExchangeGrant({
      provider,
      botAssertionIssuer: options.botAssertionIssuer,
      botPublicJwks: options.botPublicJwks,
      listScopes: options.listScopes,
      replay: new ReplayGuard(),
      maxTtlSec,
      delegation,
      logger,
    }),
    TOKEN_EXCHANGE_PARAMETERS,
    TOKEN_EXCHANGE_DUPLICATES,
  );
  provider.registerGrantType('client_credentials', clientCredentialsGrant({ provider, listScopes: options.listScopes, ttlSec: maxTtlSec }), CLIENT_CREDENTIALS_PARAMETERS, CLIENT_CREDENTIALS_DUPLICATES);
  reportErrors(provider, logger);

  logger.warn(
    { issuer: options.issuer, discovery: `${options.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, client_id: options.botClient.clientId },
    'DEVELOPMENT ONLY: serving the embedded authorization server (tokens live in memory; set OAUTH_ISSUER for real use)',
  );
  const mounted = mountUnderIssuerPath(options.issuer, provider.callback());
  return Object.freeze({
    issuer: options.issuer,
    handler: (req: IncomingMessage, res: ServerResponse) => {
      if (!closed) return mounted(req, res);
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'temporarily_unavailable', error_description: 'the development authorization server is shutting down' }));
    },
    close: async () => {
      closed = true;
      storage.clear();
    },
  });
}

async function botClientMetadata(options: DevAuthorizationServerOptions): Promise<Record<string, unknown>> {
  const base = {
    client_id: options.botClient.clientId,
    grant_types: [TOKEN_EXCHANGE_GRANT_TYPE, 'client_credentials'],
    response_types: [],
    redirect_uris: [],
  };
  const { auth } = options.botClient;
  if (auth.method === 'client_secret_basic') return { ...base, token_endpoint_auth_method: 'client_secret_basic', client_secret: auth.secret };
  return { ...base, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [...(await options.botPublicJwks()).keys] } };
}

/** oidc-provider needs an RSA key for its ID-token defaults; it issues no ID tokens here. */
async function ephemeralSigningKey(): Promise<Record<string, unknown>> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig' };
}

/** Token-endpoint refusals at debug level (the client logs them too); crashes at error level. */
function reportErrors(provider: Provider, logger: Logger): void {
  const refusal = (_ctx: unknown, error: unknown) => {
    const { error: code, error_description: description } = error as { error?: string; error_description?: string };
    logger.debug({ error: code, error_description: description }, 'development AS refused a request');
  };
  for (const event of ['grant.error', 'revocation.error', 'introspection.error', 'discovery.error']) provider.on(event, refusal);
  provider.on('server_error', (_ctx: unknown, error: unknown) => {
    logger.error({ err: { name: (error as Error).name, message: (error as Error).message } }, 'development AS failed on a request');
  });
}
