import { allowInsecureRequests, customFetch, discovery, type ClientAuth, type Configuration, type CustomFetch, type DiscoveryRequestOptions } from 'openid-client';
import type { OAuthConfig } from '../../../config/oauth.ts';
import { OAuthError } from '../oauth-error.ts';
import { toOAuthError } from './to-oauth-error.ts';

/**
 * Fetches the AS's metadata: OpenID discovery (`/.well-known/openid-configuration`) first, then
 * RFC 8414 (`/.well-known/oauth-authorization-server`) when the first is absent. The issuer in the
 * document must equal the configured one (openid-client checks it).
 */
export async function discoverAuthorizationServer(
  config: Pick<OAuthConfig, 'issuer' | 'clientId' | 'timeoutMs' | 'allowInsecureHttp'>,
  clientAuth: ClientAuth,
  fetchImplementation?: CustomFetch,
): Promise<Configuration> {
  const options: DiscoveryRequestOptions = {
    timeout: config.timeoutMs / 1000,
    execute: config.allowInsecureHttp ? [allowInsecureRequests] : [],
  };
  if (fetchImplementation) options[customFetch] = fetchImplementation;
  const server = new URL(config.issuer);
  try {
    return await discovery(server, config.clientId, undefined, clientAuth, { ...options, algorithm: 'oidc' });
  } catch (first) {
    const failure = await toOAuthError(first, 'discovery');
    if (!documentWasMissing(failure)) throw failure;
    try {
      return await discovery(server, config.clientId, undefined, clientAuth, { ...options, algorithm: 'oauth2' });
    } catch (second) {
      throw await toOAuthError(second, 'discovery');
    }
  }
}

/** A 4xx or a non-JSON page at the OpenID location means "try RFC 8414"; an outage does not. */
function documentWasMissing(failure: OAuthError): boolean {
  return failure.reason === 'unexpected_status' || failure.reason === 'malformed_response' || failure.reason === 'error_response';
}
