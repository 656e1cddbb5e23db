import type { CustomFetch } from 'openid-client';
import type { OAuthConfig } from '../../../config/oauth.ts';
import type { Clock } from '../../../domain/clock.ts';
import type { Logger } from '../../../logging/logger.ts';
import type { AccessTokenVerifier } from '../../../ports/access-token-verifier.ts';
import type { PersonAuthenticator } from '../../../ports/person-authenticator.ts';
import type { Metrics } from '../../../ports/metrics.ts';
import { noMetrics } from '../../../app/no-metrics.ts';
import { measuredCall } from './measured-call.ts';
import type { TokenIssuer } from '../../../ports/token-issuer.ts';
import { OAuthAccessTokenVerifier, type ApiTokenSettings } from '../api-tokens/oauth-access-token-verifier.ts';
import type { BotKeys } from '../keys/bot-keys.ts';
import { createPersonAuthenticator } from '../person-sign-in/oidc-person-authenticator.ts';
import { checkServerMetadata } from './check-server-metadata.ts';
import { clientAuthentication, clientAuthenticator } from './client-authentication.ts';
import { asHttpTransport, transportOverFetch } from './as-http-transport.ts';
import { discoverAuthorizationServer } from './discover-authorization-server.ts';
import { OAuthTokenIssuer } from './oauth-token-issuer.ts';
import { revocationEndpoint } from './revoke-token.ts';

export interface TokenIssuerDeps {
  logger: Logger;
  clock: Clock;
  keys: BotKeys;
  /** Replaces the HTTP transport for every request to the AS (tests, proxies); undici over kept-alive connections by default. */
  fetch?: CustomFetch;
  /** Times every call to the AS (discovery, exchange, revocation, introspection). */
  metrics?: Metrics;
}

/**
 * Discovers the AS and returns the `TokenIssuer` the core uses. Fails at once, with a message that
 * names what is missing, when the AS cannot be reached or does not advertise token exchange,
 * revocation or the configured client authentication method.
 *
 * With the embedded development AS, call this after the HTTP server that serves `/oauth` is
 * listening: discovery is a real HTTP request to it.
 */
export async function createTokenIssuer(config: OAuthConfig, deps: TokenIssuerDeps): Promise<TokenIssuer> {
  return (await connectAuthorizationServer(config, deps, null)).issuer;
}

/**
 * What Elevate does at the AS: the core's token issuer, when the API is on its bearer-token check,
 * and step-up sign-ins of people (null when the AS has no authorization endpoint).
 */
export interface AuthorizationServerClients {
  issuer: TokenIssuer;
  accessTokens: AccessTokenVerifier | null;
  personAuthenticator: PersonAuthenticator | null;
  /** The origin of the AS's authorization endpoint, where step-up pages send the browser. */
  signInOrigin: string | null;
}

/**
 * {@link createTokenIssuer} plus the HTTP API's bearer-token verifier, from one discovery of the AS:
 * JWT access tokens are checked against its `jwks_uri`, opaque ones by its introspection endpoint
 * with Elevate's own client authentication.
 */
export async function connectAuthorizationServer(config: OAuthConfig, deps: TokenIssuerDeps, api: ApiTokenSettings | null): Promise<AuthorizationServerClients> {
  const logger = deps.logger.child({ component: 'oauth' });
  const authenticate = clientAuthenticator(config, deps.keys, deps.clock);
  const clientAuth = clientAuthentication(authenticate);
  const transport = deps.fetch ? transportOverFetch(deps.fetch) : asHttpTransport();
  const metrics = deps.metrics ?? noMetrics;
  const configuration = await measuredCall(metrics, 'discovery', () => discoverAuthorizationServer(config, clientAuth, transport.fetch));
  const metadata = configuration.serverMetadata();
  checkServerMetadata(metadata, config.clientAuth.method);
  const revocation = revocationEndpoint(metadata, config, authenticate, transport);
  if (typeof metadata.introspection_endpoint !== 'string') {
    logger.warn({ issuer: metadata.issuer }, 'the authorization server advertises no introspection_endpoint; introspection is unavailable');
  }
  logger.info(
    { issuer: metadata.issuer, mode: config.mode, client_id: config.clientId, client_auth: config.clientAuth.method, signing_kid: deps.keys.signingKey.kid },
    'authorization server discovered',
  );
  const issuer = new OAuthTokenIssuer({
    configuration,
    revocation,
    clientId: config.clientId,
    assertionIssuer: config.assertionIssuer,
    subjectTokenType: config.subjectTokenType,
    audienceParameter: config.audienceParameter,
    signingKey: deps.keys.signingKey,
    clock: deps.clock,
    logger,
  }, metrics);
  const personAuthenticator = createPersonAuthenticator({
    metadata,
    clientId: config.clientId,
    clientAuth,
    fetch: transport.fetch,
    timeoutMs: config.timeoutMs,
    allowInsecureHttp: config.allowInsecureHttp,
  });
  const signInOrigin = personAuthenticator ? new URL(metadata.authorization_endpoint!).origin : null;
  if (!api) return { issuer, accessTokens: null, personAuthenticator, signInOrigin };
  const jwksUri = typeof metadata.jwks_uri === 'string' ? metadata.jwks_uri : null;
  const introspection = typeof metadata.introspection_endpoint === 'string';
  if (!jwksUri && !introspection) logger.warn({ issuer: metadata.issuer }, 'the authorization server publishes neither jwks_uri nor introspection_endpoint: no API token can be checked, every API call will be refused');
  const accessTokens = new OAuthAccessTokenVerifier(api, {
    issuer: metadata.issuer,
    jwksUri,
    introspect: introspection ? (token) => issuer.introspect(token) : null,
    clock: deps.clock,
  });
  return { issuer, accessTokens, personAuthenticator, signInOrigin };
}
