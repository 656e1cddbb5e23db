import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { createBotKeys, type BotKeys } from '../../../src/adapters/oauth/index.ts';

/** A private JWK for tests, with its `kid`. */
export async function generatePrivateJwk(alg: 'RS256' | 'ES256' = 'RS256'): Promise<JWK & { kid: string; alg: string }> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg };
}

/** Bot keys built from freshly generated JWKs (newest first), plus the raw private JWKs. */
export async function generateBotKeys(count = 1, alg: 'RS256' | 'ES256' = 'ES256'): Promise<{ keys: BotKeys; privateJwks: JWK[] }> {
  const privateJwks = await Promise.all(Array.from({ length: count }, () => generatePrivateJwk(alg)));
  const keys = await createBotKeys(privateJwks.map((jwk) => ({ jwk, alg: jwk.alg, kid: jwk.kid })));
  return { keys, privateJwks };
}
