import type { TokenEndpointResponse } from 'openid-client';
import type { ServerMetadata } from './discover.ts';
import type { CachedLogin, LoginMethod } from './token-cache.ts';

/** When the AS does not say how long a token lives, assume briefly and ask again soon. */
const ASSUMED_LIFETIME_SEC = 300;

/** A token endpoint answer as the login the cache keeps. */
export function loginFromTokens(
  server: string,
  method: LoginMethod,
  meta: ServerMetadata,
  clientId: string,
  tokens: TokenEndpointResponse,
  now: number,
  subject: string | undefined,
  previousRefreshToken?: string,
): CachedLogin {
  const refreshToken = tokens.refresh_token ?? previousRefreshToken;
  return {
    server,
    method,
    issuer: meta.issuer,
    clientId,
    resource: meta.resource,
    ...(subject ? { subject } : {}),
    accessToken: tokens.access_token,
    expiresAt: now + (tokens.expires_in ?? ASSUMED_LIFETIME_SEC) * 1000,
    ...(refreshToken ? { refreshToken } : {}),
  };
}
