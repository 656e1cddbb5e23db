import { constants, KeyObject, sign, type SignKeyObjectInput } from 'node:crypto';
import type { SigningKey } from './bot-keys.ts';

/** Signs bytes as JWS `alg` does, returning the JWS signature bytes. */
export type JwsSigner = (data: Buffer) => Promise<Buffer>;

/**
 * A JWS signer over node:crypto for a key already imported as a WebCrypto key, without
 * WebCrypto's per-call promise and transfer machinery, which a profile of the sweeper showed
 * costing more than the signature itself. EC and Ed25519 signatures take tens of microseconds
 * and are computed in place (handing them to the thread pool costs more than it saves); RSA
 * signatures take about a millisecond and go to libuv's thread pool, as WebCrypto's do. The key
 * stays the same non-extractable key object.
 */
export function nodeSignerFor(key: SigningKey): JwsSigner {
  const keyObject = KeyObject.from(key.privateKey);
  const [digest, options] = signatureParameters(key.alg, keyObject);
  if (keyObject.asymmetricKeyType !== 'rsa' && keyObject.asymmetricKeyType !== 'rsa-pss') {
    return async (data) => sign(digest, data, options);
  }
  return (data) =>
    new Promise((resolve, reject) => {
      sign(digest, data, options, (error, signature) => (error ? reject(error) : resolve(signature)));
    });
}

function signatureParameters(alg: string, key: KeyObject): [digest: string | null, options: SignKeyObjectInput] {
  const bits = alg.slice(2);
  switch (alg) {
    case 'RS256':
    case 'RS384':
    case 'RS512':
      return [`sha${bits}`, { key }];
    case 'PS256':
    case 'PS384':
    case 'PS512':
      return [`sha${bits}`, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(bits) / 8 }];
    case 'ES256':
    case 'ES384':
    case 'ES512':
      return [`sha${bits}`, { key, dsaEncoding: 'ieee-p1363' }];
    case 'EdDSA':
    case 'Ed25519':
      return [null, { key }];
    default:
      throw new Error(`no signer for alg ${alg}`);
  }
}
