import type { AuthenticationRecord, IssuableToken, OidcContext } from 'oidc-provider';

/**
 * `auth_time` (and `acr`/`amr` when recorded) of a person's access token, from the grant it comes
 * from: the device code at first, the refresh token afterwards (both keep the original sign-in,
 * so a refreshed token still says when the person really signed in). A later MFA step changes
 * what the login records, not this.
 */
export function personAuthenticationClaims(oidc: OidcContext | undefined, token: IssuableToken): Record<string, unknown> | undefined {
  if (oidc === undefined || token.accountId === undefined) return undefined;
  const source: AuthenticationRecord | undefined = oidc.entities.RefreshToken ?? oidc.entities.DeviceCode;
  if (source?.authTime === undefined) return undefined;
  return {
    auth_time: source.authTime,
    ...(source.acr === undefined ? {} : { acr: source.acr }),
    ...(source.amr === undefined || source.amr.length === 0 ? {} : { amr: source.amr }),
  };
}
