import { randomBytes } from 'node:crypto';
import { ClientSecretBasic, type ClientAuth } from 'openid-client';
import type { OAuthConfig } from '../../../config/oauth.ts';
import type { Clock } from '../../../domain/clock.ts';
import { ASSERTION_LIFETIME_SEC } from '../assertions/assertion-claims.ts';
import type { BotKeys } from '../keys/bot-keys.ts';
import { nodeSignerFor } from '../keys/node-signer.ts';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * How every request to the AS authenticates: `client_secret_basic` with the configured secret, or
 * `private_key_jwt` (RFC 7523 §2.2) signed with the client key. The assertion carries the same
 * claims openid-client's own `PrivateKeyJwt` would (a fresh random `jti`, `aud` = the issuer,
 * `iss` = `sub` = the client id), with times from the injected clock. It is signed through
 * node:crypto rather than WebCrypto: one is signed for every revocation the sweeper makes, and
 * WebCrypto's per-call overhead was the largest single cost in a profile of it.
 */
export function clientAuthentication(config: Pick<OAuthConfig, 'clientAuth'>, keys: BotKeys, clock: Clock): ClientAuth {
  if (config.clientAuth.method === 'client_secret_basic') return ClientSecretBasic(config.clientAuth.secret);
  const key = keys.clientAuthKey;
  const signer = nodeSignerFor(key);
  const header = base64url(JSON.stringify({ alg: key.alg, kid: key.kid }));
  return async (as, client, body) => {
    const now = Math.floor(clock.now().getTime() / 1000);
    const claims = { jti: randomBytes(32).toString('base64url'), aud: as.issuer, exp: now + ASSERTION_LIFETIME_SEC, iat: now, nbf: now, iss: client.client_id, sub: client.client_id };
    const signingInput = `${header}.${base64url(JSON.stringify(claims))}`;
    const signature = await signer(Buffer.from(signingInput));
    body.set('client_id', client.client_id);
    body.set('client_assertion_type', JWT_BEARER);
    body.set('client_assertion', `${signingInput}.${signature.toString('base64url')}`);
  };
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}
