import { genericGrantRequest, type Configuration, type TokenEndpointResponse } from 'openid-client';
import type { AudienceParameter } from '../../../config/oauth.ts';
import { ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT_TYPE } from '../token-types.ts';
import { toOAuthError } from './to-oauth-error.ts';

export interface TokenExchangeRequest {
  subjectToken: string;
  actorToken: string;
  /** Usually `urn:ietf:params:oauth:token-type:jwt`; some AS want their own URI. */
  subjectTokenType: string;
  scope: string;
  audience: string;
  audienceParameter: AudienceParameter;
}

/** The RFC 8693 §2.1 form parameters, without client authentication (the library adds it). */
export function tokenExchangeParameters(request: TokenExchangeRequest): URLSearchParams {
  const parameters = new URLSearchParams({
    subject_token: request.subjectToken,
    subject_token_type: request.subjectTokenType,
    actor_token: request.actorToken,
    actor_token_type: JWT_TOKEN_TYPE,
    requested_token_type: ACCESS_TOKEN_TYPE,
    scope: request.scope,
  });
  if (request.audienceParameter !== 'resource') parameters.set('audience', request.audience);
  if (request.audienceParameter !== 'audience') parameters.set('resource', request.audience);
  return parameters;
}

/**
 * Sends the token exchange and returns the parsed token response. openid-client checks the
 * status, the JSON, `access_token` and `token_type` (recognising RFC 8693's `N_A`); any failure is
 * rethrown as an `OAuthError`.
 */
export async function sendTokenExchange(configuration: Configuration, parameters: URLSearchParams): Promise<TokenEndpointResponse> {
  try {
    return await genericGrantRequest(configuration, TOKEN_EXCHANGE_GRANT_TYPE, parameters);
  } catch (error) {
    throw await toOAuthError(error, 'exchange');
  }
}
