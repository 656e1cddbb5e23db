import { hkdfSync } from 'node:crypto';
import { EncryptJWT, jwtDecrypt, type JWTPayload } from 'jose';

/**
 * Cookies whose content the browser can neither read nor change: a JWE (`dir`, A256GCM) under a
 * key derived for this one purpose from Elevate's encryption key (HKDF-SHA256), with an expiry
 * and a `typ` naming what the cookie is, so a sign-in cookie can never be read as a session cookie
 * or the other way round. Keys are tried in order, so a rotated-out key still opens cookies it
 * sealed until they expire; new cookies are sealed with the first.
 */
export class CookieSealer {
  private readonly keys: Uint8Array[];

  constructor(encryptionKeys: readonly Buffer[]) {
    if (encryptionKeys.length === 0) throw new Error('CookieSealer needs at least one key');
    this.keys = encryptionKeys.map((key) => new Uint8Array(hkdfSync('sha256', key, Buffer.alloc(0), 'elevate web cookie v1', 32)));
  }

  async seal(kind: string, payload: JWTPayload, maxAgeSec: number, now: Date): Promise<string> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    return new EncryptJWT(payload)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', typ: kind })
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + maxAgeSec)
      .encrypt(this.keys[0]!);
  }

  /** The payload of a cookie this server sealed as `kind` and that has not expired, or null. */
  async open(kind: string, value: string | null, now: Date): Promise<JWTPayload | null> {
    if (value === null || value.length > 4096) return null;
    for (const key of this.keys) {
      try {
        const { payload } = await jwtDecrypt(value, key, { typ: kind, currentDate: now, keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
        return payload;
      } catch {
        // Another key may have sealed it; none did if the loop ends.
      }
    }
    return null;
  }
}
