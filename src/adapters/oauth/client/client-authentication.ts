import { randomBytes } from 'node:crypto';
import type { ClientAuth } from 'openid-client';
import type { OAuthConfig } from '../../../config/oauth.ts';
import type { Clock } from '../../../domain/clock.ts';
import { ASSERTION_LIFETIME_SEC } from '../assertions/assertion-claims.ts';
import type { BotKeys } from '../keys/bot-keys.ts';
import { nodeSignerFor } from '../keys/node-signer.ts';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** What one request to the AS carries to authenticate Elevate: form fields, an Authorization header, or both. */
export interface ClientCredentials {
  form: Record<string, string>;
  authorization: string | null;
}

/** Credentials for one request by client `clientId` to the AS whose issuer is `issuer`. */
export type ClientAuthenticator = (clientId: string, issuer: string) => Promise<ClientCredentials>;

/**
 * How every request to the AS authenticates: `client_secret_basic` with the configured secret, or
 * `private_key_jwt` (RFC 7523 §2.2) signed with the client key. The assertion carries the same
 * claims openid-client's own `PrivateKeyJwt` would (a fresh random `jti`, `aud` = the issuer,
 * `iss` = `sub` = the client id), with times from the injected clock. It is signed through
 * node:crypto rather than WebCrypto: one is signed for every revocation the sweeper makes, and
 * WebCrypto's per-call overhead was the largest single cost in a profile of it.
 */
export function clientAuthenticator(config: Pick<OAuthConfig, 'clientAuth'>, keys: BotKeys, clock: Clock): ClientAuthenticator {
  if (config.clientAuth.method === 'client_secret_basic') {
    const { secret } = config.clientAuth;
    // RFC 6749 §2.3.1: both parts form-urlencoded before Base64.
    return async (clientId) => ({ form: {}, authorization: `Basic ${Buffer.from(`${formUrlEncode(clientId)}:${formUrlEncode(secret)}`).toString('base64')}` });
  }
  const key = keys.clientAuthKey;
  const signer = nodeSignerFor(key);
  const header = base64url(JSON.stringify({ alg: key.alg, kid: key.kid }));
  return async (clientId, issuer) => {
    const now = Math.floor(clock.now().getTime() / 1000);
    const claims = { jti: randomBytes(32).toString('base64url'), aud: issuer, exp: now + ASSERTION_LIFETIME_SEC, iat: now, nbf: now, iss: clientId, sub: clientId };
    const signingInput = `${header}.${base64url(JSON.stringify(claims))}`;
    const signature = await signer(Buffer.from(signingInput));
    return { form: { client_id: clientId, client_assertion_type: JWT_BEARER, client_assertion: `${signingInput}.${signature.toString('base64url')}` }, authorization: null };
  };
}

/** The same credentials in the shape openid-client takes, for discovery, exchange and introspection. */
export function clientAuthentication(authenticate: ClientAuthenticator): ClientAuth {
  return async (as, client, body, headers) => {
    const { form, authorization } = await authenticate(client.client_id, as.issuer);
    for (const [name, value] of Object.entries(form)) body.set(name, value);
    if (authorization !== null) headers.set('authorization', authorization);
  };
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** application/x-www-form-urlencoded, as openid-client encodes credentials (unreserved marks escaped too). */
function formUrlEncode(value: string): string {
  return encodeURIComponent(value).replace(/[-_.!~*'()]|%20/g, (match) => (match === '%20' ? '+' : `%${match.charCodeAt(0).toString(16).toUpperCase()}`));
}
