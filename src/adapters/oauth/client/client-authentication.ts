import { ClientSecretBasic, PrivateKeyJwt, modifyAssertion, type ClientAuth } from 'openid-client';
import type { OAuthConfig } from '../../../config/oauth.ts';
import type { Clock } from '../../../domain/clock.ts';
import { ASSERTION_LIFETIME_SEC } from '../assertions/assertion-claims.ts';
import type { BotKeys } from '../keys/bot-keys.ts';

/**
 * How every request to the AS authenticates: `client_secret_basic` with the configured secret, or
 * `private_key_jwt` (RFC 7523) signed with the client key. Assertion times come from the injected
 * clock rather than the library's own `Date.now()`.
 */
export function clientAuthentication(config: Pick<OAuthConfig, 'clientAuth'>, keys: BotKeys, clock: Clock): ClientAuth {
  if (config.clientAuth.method === 'client_secret_basic') return ClientSecretBasic(config.clientAuth.secret);
  const key = keys.clientAuthKey;
  return PrivateKeyJwt(
    { key: key.privateKey, kid: key.kid },
    {
      [modifyAssertion]: (_header, payload) => {
        const now = Math.floor(clock.now().getTime() / 1000);
        payload['iat'] = now;
        payload['nbf'] = now;
        payload['exp'] = now + ASSERTION_LIFETIME_SEC;
      },
    },
  );
}
