import { createCipheriv, createDecipheriv, createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { ElevateError } from '../../domain/errors.ts';
import type { TokenCipher } from '../../ports/token-cipher.ts';

const VERSION = 'v1';

/**
 * AES-256-GCM with a random 96-bit IV per value and the grant id as associated data. The sealed
 * form names the key by a short fingerprint, so a later key rotation can keep old keys for
 * opening: `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts).
 */
export class AesGcmTokenCipher implements TokenCipher {
  /** Key objects made once: a raw key would be copied into a new one on every seal and open. */
  private readonly keys: Map<string, KeyObject>;
  private readonly currentKeyId: string;

  /** `keys[0]` seals; every key opens. Each key is 32 bytes. */
  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0 || keys.some((key) => key.length !== 32)) {
      throw new ElevateError('crypto_failed', 'Token encryption keys must be 32 bytes each.');
    }
    this.keys = new Map(keys.map((key) => [keyFingerprint(key), createSecretKey(key)]));
    this.currentKeyId = keyFingerprint(keys[0]!);
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.currentKeyId, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  open(sealed: string, context: string): string {
    const [version, keyId, iv, body, tag] = sealed.split('.');
    const key = keyId === undefined ? undefined : this.keys.get(keyId);
    if (version !== VERSION || !key || iv === undefined || body === undefined || tag === undefined) {
      throw new ElevateError('crypto_failed', 'A stored token cannot be opened: unknown format or encryption key.');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new ElevateError('crypto_failed', 'A stored token failed its integrity check and was not used.', { cause });
    }
  }
}

export function keyFingerprint(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}
