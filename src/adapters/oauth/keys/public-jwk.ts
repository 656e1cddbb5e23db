import type { JWK } from 'jose';

/** A public JWK as published at /.well-known/jwks.json. */
export interface PublicJwk {
  readonly kty: string;
  readonly kid: string;
  readonly alg: string;
  readonly use: 'sig';
  readonly n?: string;
  readonly e?: string;
  readonly crv?: string;
  readonly x?: string;
  readonly y?: string;
}

export interface JwksDocument {
  readonly keys: readonly PublicJwk[];
}

/** The public members of each key type (RFC 7518 §6). Anything else is left behind. */
const PUBLIC_MEMBERS: Readonly<Record<string, readonly (keyof JWK)[]>> = {
  RSA: ['n', 'e'],
  EC: ['crv', 'x', 'y'],
  OKP: ['crv', 'x'],
};

/**
 * Copies only the public members of a key, by allow-list: a private member (`d`, `p`, `q`, …)
 * can never slip into the published set, whatever the source JWK carried.
 */
export function toPublicJwk(jwk: JWK, kid: string, alg: string): PublicJwk {
  const members = PUBLIC_MEMBERS[jwk.kty ?? ''];
  if (members === undefined) throw new Error('unsupported key type');
  const copy: Record<string, string> = { kty: jwk.kty as string, kid, alg, use: 'sig' };
  for (const member of members) {
    const value = jwk[member];
    if (typeof value === 'string') copy[member] = value;
  }
  return Object.freeze(copy) as unknown as PublicJwk;
}
