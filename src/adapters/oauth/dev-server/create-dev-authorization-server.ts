import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import { Provider, type IssuableToken, type KoaContextWithOIDC } from 'oidc-provider';
import type { JwksDocument } from '../keys/public-jwk.ts';
import type { Logger } from '../../../logging/logger.ts';
import { TOKEN_EXCHANGE_GRANT_TYPE } from '../token-types.ts';
import { CLIENT_CREDENTIALS_DUPLICATES, CLIENT_CREDENTIALS_PARAMETERS, clientCredentialsGrant } from './client-credentials-grant.ts';
import { apiClientsSetup, type ApiClientsSetup, type DevApiClientsOptions } from './api-clients/api-clients-setup.ts';
import { inMemoryStorage } from './in-memory-storage.ts';
import { DEV_LOGIN_ACR } from './interactions/dev-login.ts';
import { productionRefusal } from './load-dev-authorization-server.ts';
import { mountUnderIssuerPath } from './mount-under-issuer-path.ts';
import { renderError } from './pages/device-pages.ts';
import { securityHeaders } from './pages/security-headers.ts';
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
  /**
   * Clients of Elevate's HTTP API: the CLI signing people in by the device flow, and one client
   * per service account. Without it the AS serves the bot alone.
   */
  apiClients?: DevApiClientsOptions;
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
 * grant, client credentials, RFC 7009 revocation and RFC 7662 introspection; the bot's tokens are
 * opaque and kept in memory, so revocation is real and a restart forgets every token. With
 * `apiClients`, also the API's clients: the device flow (RFC 8628) for people and client
 * credentials for service accounts, with RFC 9068 JWT access tokens for the API. Refuses to run
 * with NODE_ENV=production.
 */
export async function createDevAuthorizationServer(options: DevAuthorizationServerOptions): Promise<DevAuthorizationServer> {
  if (options.nodeEnv === 'production') throw productionRefusal();
  const logger = options.logger.child({ component: 'dev-authorization-server' });
  const maxTtlSec = options.maxTokenTtlSec ?? DEFAULT_MAX_TTL_SEC;
  const delegation = new WeakMap<IssuableToken, DelegationClaims>();
  const storage = inMemoryStorage();
  const api = options.apiClients ? apiClientsSetup(options.apiClients, { issuer: options.issuer, botClientId: options.botClient.clientId, maxTtlSec, logger }) : null;
  let closed = false;

  const provider = new Provider(options.issuer, {
    adapter: api ? api.adapter(storage.adapter) : storage.adapter,
    clients: [await botClientMetadata(options), ...(api ? [api.cliClient] : [])],
    jwks: { keys: [await ephemeralSigningKey()] },
    clientAuthMethods: ['client_secret_basic', 'private_key_jwt', ...(api ? ['none'] : [])],
    responseTypes: ['code', 'none'],
    // Without a supported acr value oidc-provider drops `acr` from ID tokens; the login records this one.
    acrValues: [DEV_LOGIN_ACR],
    scopes: api ? ['openid', 'offline_access'] : [],
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      resourceIndicators: api ? api.resourceIndicators : { enabled: false },
      deviceFlow: api ? api.deviceFlow : { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: async (_ctx: unknown, client: { clientAuthMethod: string }) => client.clientAuthMethod !== 'none' },
      revocation: { enabled: true, allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId: string }) => token.clientId === client.clientId },
    },
    // API tokens live as long as their resource server says (≤ 15 min); the bot's, as they did.
    ttl: { AccessToken: tokenTtl(maxTtlSec), ClientCredentials: tokenTtl(maxTtlSec), ...api?.ttl },
    extraTokenClaims: async (ctx: KoaContextWithOIDC | undefined, token: IssuableToken) => delegation.get(token) ?? api?.extraClaims(ctx?.oidc, token),
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    renderError,
    findAccount: api ? api.findAccount : async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub }) }),
    ...(api ? { interactions: api.interactions } : {}),
  });
  provider.proxy = options.trustProxy ?? false;
  provider.use(securityHeaders);
  if (api) for (const middleware of api.middleware(provider)) provider.use(middleware);

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
  provider.registerGrantType(
    'client_credentials',
    clientCredentialsGrant({ provider, listScopes: options.listScopes, ttlSec: maxTtlSec, botClientId: options.botClient.clientId, serviceAccounts: api ? api.serviceClientCredentials(provider) : null }),
    CLIENT_CREDENTIALS_PARAMETERS,
    CLIENT_CREDENTIALS_DUPLICATES,
  );
  reportErrors(provider, logger);

  logger.warn(
    { issuer: options.issuer, discovery: `${options.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, client_id: options.botClient.clientId },
    'DEVELOPMENT ONLY: serving the embedded authorization server (tokens live in memory; set OAUTH_ISSUER for real use)',
  );
  if (api) await announceApiClients(api, options.issuer, logger);
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

/**
 * The bot's client: token exchange and client credentials, plus the authorization-code flow of
 * people's sign-ins (step-up, and later the dashboard) returning to Elevate's public URL.
 */
async function botClientMetadata(options: DevAuthorizationServerOptions): Promise<Record<string, unknown>> {
  const elevate = options.botAssertionIssuer.replace(/\/+$/, '');
  const base = {
    client_id: options.botClient.clientId,
    grant_types: [TOKEN_EXCHANGE_GRANT_TYPE, 'client_credentials', 'authorization_code'],
    response_types: ['code'],
    redirect_uris: [`${elevate}/auth/step-up/callback`, `${elevate}/auth/sign-in/callback`],
  };
  const { auth } = options.botClient;
  if (auth.method === 'client_secret_basic') return { ...base, token_endpoint_auth_method: 'client_secret_basic', client_secret: auth.secret };
  return { ...base, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [...(await options.botPublicJwks()).keys] } };
}

function tokenTtl(maxTtlSec: number) {
  return (_ctx: unknown, token: { resourceServer?: { accessTokenTTL?: number } }) => token.resourceServer?.accessTokenTTL ?? maxTtlSec;
}

/** Secrets of the service accounts known at start, generated now so they can be read at once. */
async function announceApiClients(api: ApiClientsSetup, issuer: string, logger: Logger): Promise<void> {
  const services = await api.serviceClients.sync();
  logger.warn(
    { cli_client_id: api.cliClientId, device_login: `${issuer.replace(/\/+$/, '')}/device`, service_clients: [...services.keys()], secrets_file: api.secretsFile },
    'DEVELOPMENT ONLY: people sign in by picking themselves, without a password; service accounts use the client secrets in the secrets file',
  );
}

/**
 * oidc-provider needs an RSA key for its ID-token defaults. It also signs the API's JWT access
 * tokens (published at the issuer's `jwks_uri`); made anew at every start, like the tokens.
 */
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
