import { createPrivateKey } from 'node:crypto';
import type { JWK } from 'jose';
import { signingAlgorithmFor } from './key-algorithms.ts';

/** A private signing key as read from a file, checked but not yet imported. */
export interface PrivateKeyEntry {
  /** The private JWK, including its private members. Never log it. */
  readonly jwk: JWK;
  readonly alg: string;
  /** The `kid` the file gave, if any; otherwise the loader uses the RFC 7638 thumbprint. */
  readonly kid: string | undefined;
}

/**
 * Parses a JWKS document of private signing keys (`ELEVATE_SIGNING_KEYS_FILE`), newest first.
 * Throws an `Error` whose message names the faulty entry and never quotes key material.
 */
export function parseSigningKeysText(text: string): PrivateKeyEntry[] {
  const document = parseJson(text, 'expected a JWKS document {"keys": [...]}');
  const keys = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new Error('expected a JWKS document {"keys": [...]} with at least one private key');
  const entries = keys.map((key, index) => parsePrivateJwk(key, `keys[${index}]`));
  const kids = entries.map((entry) => entry.kid).filter((kid) => kid !== undefined);
  if (new Set(kids).size !== kids.length) throw new Error('two keys share the same kid');
  return entries;
}

/**
 * Parses the client-authentication key (`OAUTH_PRIVATE_KEY_FILE`): a PEM private key (PKCS#8, or
 * the older PKCS#1/SEC1 forms), a single JWK, or a JWKS holding exactly one key.
 */
export function parseClientKeyText(text: string): PrivateKeyEntry {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return parsePem(trimmed);
  const document = parseJson(trimmed, 'expected a PEM private key, a JWK or a JWKS with one key');
  const keys = (document as { keys?: unknown } | null)?.keys;
  if (keys === undefined) return parsePrivateJwk(document, 'key');
  if (!Array.isArray(keys) || keys.length !== 1) throw new Error('a JWKS here must hold exactly one private key');
  return parsePrivateJwk(keys[0], 'keys[0]');
}

function parsePem(pem: string): PrivateKeyEntry {
  if (!/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(pem)) throw new Error('expected a PEM private key (BEGIN PRIVATE KEY)');
  if (pem.includes('BEGIN ENCRYPTED PRIVATE KEY')) throw new Error('encrypted PEM keys are not supported; store the key unencrypted with 0600 permissions or use a secret mount');
  let jwk: JWK;
  try {
    jwk = createPrivateKey(pem).export({ format: 'jwk' }) as JWK;
  } catch {
    throw new Error('not a readable PEM private key');
  }
  return { jwk, alg: signingAlgorithmFor(jwk), kid: undefined };
}

function parsePrivateJwk(value: unknown, where: string): PrivateKeyEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: expected a JWK object`);
  const jwk = value as JWK;
  if (typeof jwk.d !== 'string') throw new Error(`${where}: not a private key (no "d" member)`);
  if (jwk.use !== undefined && jwk.use !== 'sig') throw new Error(`${where}: "use" must be "sig"`);
  let alg: string;
  try {
    alg = signingAlgorithmFor(jwk);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
  try {
    createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  } catch {
    throw new Error(`${where}: not a valid private JWK`);
  }
  return { jwk, alg, kid: typeof jwk.kid === 'string' && jwk.kid !== '' ? jwk.kid : undefined };
}

function parseJson(text: string, expectation: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`not JSON: ${expectation}`);
  }
}
