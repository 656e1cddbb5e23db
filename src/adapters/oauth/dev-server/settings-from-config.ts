import type { OAuthConfig } from '../../../config/oauth.ts';
import type { BotKeys } from '../keys/bot-keys.ts';
import type { DevAuthorizationServerOptions } from './create-dev-authorization-server.ts';

/**
 * The part of the development AS's options that follows from Elevate's own OAuth configuration:
 * its issuer, the bot registered as a client the same way it is configured to authenticate, and
 * the bot's assertion issuer and keys.
 */
export function devAuthorizationServerSettings(
  config: Pick<OAuthConfig, 'issuer' | 'clientId' | 'clientAuth' | 'assertionIssuer'>,
  keys: Pick<BotKeys, 'publicJwks'>,
): Pick<DevAuthorizationServerOptions, 'issuer' | 'botClient' | 'botAssertionIssuer' | 'botPublicJwks'> {
  const auth = config.clientAuth.method === 'client_secret_basic' ? { method: 'client_secret_basic' as const, secret: config.clientAuth.secret } : { method: 'private_key_jwt' as const };
  return {
    issuer: config.issuer,
    botClient: { clientId: config.clientId, auth },
    botAssertionIssuer: config.assertionIssuer,
    botPublicJwks: () => keys.publicJwks(),
  };
}
