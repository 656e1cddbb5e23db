import type { TokenEndpointResponse } from 'openid-client';
import type { IssuedToken } from '../../../ports/token-issuer.ts';
import { OAuthError } from '../oauth-error.ts';
import { ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE } from '../token-types.ts';

/** Token types a resource server can be given as an access token. */
const USABLE_ISSUED_TYPES = new Set([ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE]);

/** openid-client lowercases `token_type`; these are the spellings RFC 6750, RFC 9449 and RFC 8693 use. */
const TOKEN_TYPE_SPELLING: Readonly<Record<string, string>> = { bearer: 'Bearer', dpop: 'DPoP', n_a: 'N_A' };

export interface ExchangeResult {
  token: IssuedToken;
  /** An AS may add a refresh token; Elevate never keeps one (it would outlive the window). */
  refreshToken: string | null;
}

/**
 * Checks what the library has not: that the AS issued an access token (RFC 8693
 * `issued_token_type`, defaulting to an access token when absent), and maps the response.
 */
export function readTokenExchangeResponse(response: TokenEndpointResponse): ExchangeResult {
  const issuedTokenType = typeof response.issued_token_type === 'string' ? response.issued_token_type : ACCESS_TOKEN_TYPE;
  if (!USABLE_ISSUED_TYPES.has(issuedTokenType)) {
    throw new OAuthError({ operation: 'exchange', reason: 'invalid_response', cause: new Error(`issued_token_type ${issuedTokenType} is not an access token`) });
  }
  if (response.access_token === '') {
    throw new OAuthError({ operation: 'exchange', reason: 'invalid_response', cause: new Error('empty access_token') });
  }
  const expiresIn = typeof response.expires_in === 'number' && Number.isFinite(response.expires_in) ? Math.floor(response.expires_in) : null;
  return {
    token: {
      accessToken: response.access_token,
      tokenType: TOKEN_TYPE_SPELLING[response.token_type] ?? response.token_type,
      issuedTokenType,
      expiresInSec: expiresIn,
      scope: typeof response.scope === 'string' ? response.scope : null,
    },
    refreshToken: typeof response.refresh_token === 'string' ? response.refresh_token : null,
  };
}
