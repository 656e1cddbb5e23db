import { tokenRevocation, type Configuration } from 'openid-client';
import { toOAuthError } from './to-oauth-error.ts';

/**
 * RFC 7009 revocation with a `token_type_hint`. An unknown or already revoked token is answered
 * with 200 by a conforming AS, so calling this again after a lost response is harmless.
 */
export async function revokeToken(configuration: Configuration, token: string, hint: 'access_token' | 'refresh_token' = 'access_token'): Promise<void> {
  try {
    await tokenRevocation(configuration, token, { token_type_hint: hint });
  } catch (error) {
    throw await toOAuthError(error, 'revocation');
  }
}
