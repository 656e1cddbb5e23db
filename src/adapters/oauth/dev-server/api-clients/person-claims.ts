import type { AuthenticationRecord, IssuableToken, OidcContext } from 'oidc-provider';

/**
 * `auth_time`, `acr` and `amr` of a person's access token (RFC 9470 §2: what the API checks for
 * step-up), from the grant it comes from: the device code or authorization code at first, the
 * refresh token afterwards (all keep the original sign-in, so a refreshed token still says when
 * and how the person really signed in). In the JWT as claims; for an opaque token, in its
 * introspection answer.
 */
export function personAuthenticationClaims(oidc: OidcContext | undefined, token: IssuableToken): Record<string, unknown> | undefined {
  if (oidc === undefined || token.accountId === undefined) return undefined;
  const source: AuthenticationRecord | undefined = oidc.entities.RefreshToken ?? oidc.entities.DeviceCode ?? oidc.entities.AuthorizationCode;
  if (source?.authTime === undefined) return undefined;
  return {
    auth_time: source.authTime,
    ...(source.acr === undefined ? {} : { acr: source.acr }),
    ...(source.amr === undefined || source.amr.length === 0 ? {} : { amr: source.amr }),
  };
}
