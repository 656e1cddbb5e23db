import type { ServerMetadata } from 'openid-client';
import type { OAuthConfig } from '../../../config/oauth.ts';
import { ElevateError } from '../../../domain/errors.ts';
import type { ClientAuthenticator } from './client-authentication.ts';
import type { AsHttpTransport } from './as-http-transport.ts';
import { oauthErrorFromAnswer, toOAuthError } from './to-oauth-error.ts';

/** Everything a revocation request needs, worked out once at start-up. */
export interface RevocationEndpoint {
  url: URL;
  issuer: string;
  clientId: string;
  authenticate: ClientAuthenticator;
  transport: AsHttpTransport;
  timeoutMs: number;
}

/**
 * The AS's `revocation_endpoint`, checked once: it must use https unless the configuration allows
 * plain http (the development AS on loopback). A token sent in the clear is a leaked token.
 */
export function revocationEndpoint(
  serverMetadata: Readonly<ServerMetadata>,
  config: Pick<OAuthConfig, 'clientId' | 'timeoutMs' | 'allowInsecureHttp'>,
  authenticate: ClientAuthenticator,
  transport: AsHttpTransport,
): RevocationEndpoint {
  const url = new URL(String(serverMetadata.revocation_endpoint));
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && config.allowInsecureHttp)) {
    throw new ElevateError('config_invalid', `The authorization server's revocation_endpoint (${url.origin}${url.pathname}) must use https. See "Connecting your authorization server" in the README.`, {
      details: { issuer: serverMetadata.issuer, revocation_endpoint: `${url.origin}${url.pathname}` },
    });
  }
  return { url, issuer: serverMetadata.issuer, clientId: config.clientId, authenticate, transport, timeoutMs: config.timeoutMs };
}

/**
 * RFC 7009 revocation with a `token_type_hint`. An unknown or already revoked token is answered
 * with 200 by a conforming AS, so calling this again after a lost response is harmless.
 *
 * Written directly over the transport rather than through openid-client, because the sweeper
 * makes one of these per grant and the library's `Response` handling cost more CPU than the
 * request (the request and the answers it accepts are the same: a form POST authenticated as
 * every other request, and only 200 is success). Failures are the same typed `OAuthError`s.
 */
export async function revokeToken(endpoint: RevocationEndpoint, token: string, hint: 'access_token' | 'refresh_token' = 'access_token'): Promise<void> {
  let answer;
  try {
    const { form, authorization } = await endpoint.authenticate(endpoint.clientId, endpoint.issuer);
    const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' };
    if (authorization !== null) headers.authorization = authorization;
    const body = new URLSearchParams({ token, token_type_hint: hint, ...form }).toString();
    answer = await endpoint.transport.send(endpoint.url, { method: 'POST', headers, body, timeoutMs: endpoint.timeoutMs });
  } catch (error) {
    throw await toOAuthError(error, 'revocation');
  }
  if (answer.status !== 200) throw oauthErrorFromAnswer('revocation', answer);
}
