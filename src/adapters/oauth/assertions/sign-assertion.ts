import { SignJWT, type JWTPayload } from 'jose';
import type { SigningKey } from '../keys/bot-keys.ts';
import { ASSERTION_TYP } from './assertion-claims.ts';

/** Signs a claims set with the given key, naming the key by `kid` so the AS can pick it from the JWKS. */
export async function signAssertion(claims: JWTPayload, key: SigningKey): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ASSERTION_TYP }).sign(key.privateKey);
}
