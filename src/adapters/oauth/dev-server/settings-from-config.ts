import type { OAuthConfig } from '../../../config/oauth.ts';
import type { BotKeys } from '../keys/bot-keys.ts';
import type { DevAuthorizationServerOptions } from './create-dev-authorization-server.ts';

/**
 * Where Elevate's own pages receive a person's sign-in (OpenID Connect authorization-code flow
 * with its own client): the step-up verification and the sign-in. Paths under `ELEVATE_PUBLIC_URL`.
 */
export const ELEVATE_SIGN_IN_CALLBACK_PATHS: readonly string[] = Object.freeze(['/auth/step-up/callback', '/auth/sign-in/callback']);

/**
 * The part of the development AS's options that follows from Elevate's own OAuth configuration:
 * its issuer, the bot registered as a client the same way it is configured to authenticate (with
 * Elevate's sign-in callbacks under its public URL as redirect URIs), and the bot's assertion
 * issuer and keys.
 */
export function devAuthorizationServerSettings(
  config: Pick<OAuthConfig, 'issuer' | 'clientId' | 'clientAuth' | 'assertionIssuer'>,
  keys: Pick<BotKeys, 'publicJwks'>,
  service: { publicUrl: string },
): Pick<DevAuthorizationServerOptions, 'issuer' | 'botClient' | 'botAssertionIssuer' | 'botPublicJwks'> {
  const auth = config.clientAuth.method === 'client_secret_basic' ? { method: 'client_secret_basic' as const, secret: config.clientAuth.secret } : { method: 'private_key_jwt' as const };
  const origin = service.publicUrl.replace(/\/+$/, '');
  return {
    issuer: config.issuer,
    botClient: { clientId: config.clientId, auth, redirectUris: ELEVATE_SIGN_IN_CALLBACK_PATHS.map((path) => `${origin}${path}`) },
    botAssertionIssuer: config.assertionIssuer,
    botPublicJwks: () => keys.publicJwks(),
  };
}
