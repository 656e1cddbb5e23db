/** The JWS algorithm each kind of key signs with. RSA keys may say which one in `alg`. */
const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const EC_ALGORITHM_BY_CURVE: Readonly<Record<string, string>> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };
const OKP_ALGORITHMS = ['EdDSA', 'Ed25519'];

/** Smallest RSA modulus accepted, in bytes (2048 bits), as jose and every common AS require. */
const MIN_RSA_MODULUS_BYTES = 256;

interface KeyShape {
  kty?: unknown;
  crv?: unknown;
  alg?: unknown;
  n?: unknown;
}

/**
 * Picks the signing algorithm for a key, or throws an `Error` whose message says what is wrong
 * with the key (never any of its material).
 */
export function signingAlgorithmFor(jwk: KeyShape): string {
  const declared = typeof jwk.alg === 'string' ? jwk.alg : undefined;
  switch (jwk.kty) {
    case 'RSA': {
      const alg = declared ?? 'RS256';
      if (!RSA_ALGORITHMS.includes(alg)) throw new Error(`alg ${alg} does not fit an RSA key (expected one of ${RSA_ALGORITHMS.join(', ')})`);
      if (typeof jwk.n === 'string' && Buffer.from(jwk.n, 'base64url').length < MIN_RSA_MODULUS_BYTES) {
        throw new Error('RSA keys must be at least 2048 bits');
      }
      return alg;
    }
    case 'EC': {
      const alg = typeof jwk.crv === 'string' ? EC_ALGORITHM_BY_CURVE[jwk.crv] : undefined;
      if (alg === undefined) throw new Error(`unsupported EC curve (expected one of ${Object.keys(EC_ALGORITHM_BY_CURVE).join(', ')})`);
      if (declared !== undefined && declared !== alg) throw new Error(`alg ${declared} does not fit curve ${String(jwk.crv)} (expected ${alg})`);
      return alg;
    }
    case 'OKP': {
      if (jwk.crv !== 'Ed25519') throw new Error('unsupported OKP curve (expected Ed25519)');
      const alg = declared ?? 'EdDSA';
      if (!OKP_ALGORITHMS.includes(alg)) throw new Error(`alg ${alg} does not fit an Ed25519 key (expected EdDSA)`);
      return alg;
    }
    default:
      throw new Error('unsupported key type (expected RSA, EC or OKP/Ed25519)');
  }
}
