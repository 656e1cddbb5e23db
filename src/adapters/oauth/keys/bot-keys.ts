import { calculateJwkThumbprint, importJWK, type CryptoKey } from 'jose';
import type { PrivateKeyEntry } from '../../../shared/keys/parse-key-file.ts';
import { toPublicJwk, type JwksDocument, type PublicJwk } from './public-jwk.ts';

/** One imported signing key. */
export interface SigningKey {
  readonly kid: string;
  readonly alg: string;
  /** A non-extractable WebCrypto key: it can sign, but it cannot be exported or printed. */
  readonly privateKey: CryptoKey;
  readonly publicJwk: PublicJwk;
}

/** The bot's keys: what signs its assertions, what authenticates it, and what it publishes. */
export interface BotKeys {
  /** Signs the subject and actor assertions: the newest configured key (the first in the file). */
  readonly signingKey: SigningKey;
  /** Signs `private_key_jwt` client assertions: the OAUTH_PRIVATE_KEY_FILE key, else `signingKey`. */
  readonly clientAuthKey: SigningKey;
  /** Every public key, newest signing key first, for `GET /.well-known/jwks.json`. */
  publicJwks(): JwksDocument;
}

/**
 * Imports parsed key entries. Older signing keys stay published so that assertions they signed
 * still verify during a rotation; only the first one signs.
 */
export async function createBotKeys(signingEntries: readonly PrivateKeyEntry[], clientEntry?: PrivateKeyEntry): Promise<BotKeys> {
  const [newest, ...older] = await Promise.all(signingEntries.map(importEntry));
  if (newest === undefined) throw new Error('at least one signing key is required');
  const clientAuthKey = clientEntry === undefined ? newest : await importEntry(clientEntry);
  const published = [newest, ...older, clientAuthKey].map((key) => key.publicJwk);
  const unique = published.filter((jwk, index) => published.findIndex((other) => other.kid === jwk.kid) === index);
  const document: JwksDocument = Object.freeze({ keys: Object.freeze(unique) });
  return Object.freeze({ signingKey: newest, clientAuthKey, publicJwks: () => document });
}

async function importEntry(entry: PrivateKeyEntry): Promise<SigningKey> {
  const kid = entry.kid ?? (await calculateJwkThumbprint(entry.jwk, 'sha256'));
  const imported = await importJWK({ ...entry.jwk, ext: false, key_ops: undefined }, entry.alg, { extractable: false });
  if (imported instanceof Uint8Array) throw new Error('symmetric keys cannot sign bot assertions');
  return Object.freeze({ kid, alg: entry.alg, privateKey: imported, publicJwk: toPublicJwk(entry.jwk, kid, entry.alg) });
}
