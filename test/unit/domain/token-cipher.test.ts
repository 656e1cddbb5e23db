import { describe, expect, it } from 'vitest';
import { AesGcmTokenCipher } from '../../../src/adapters/crypto/aes-gcm-token-cipher.ts';

describe('AesGcmTokenCipher', () => {
  const key = Buffer.alloc(32, 1);
  const cipher = new AesGcmTokenCipher([key]);

  it('round-trips and never contains the plaintext', () => {
    const sealed = cipher.seal('secret-access-token', 'g-1');
    expect(sealed).not.toContain('secret-access-token');
    expect(cipher.open(sealed, 'g-1')).toBe('secret-access-token');
    expect(cipher.seal('secret-access-token', 'g-1')).not.toBe(sealed);
  });

  it('refuses a sealed token moved to another grant', () => {
    expect(() => cipher.open(cipher.seal('t', 'g-1'), 'g-2')).toThrow(/integrity/);
  });

  it('refuses a tampered ciphertext', () => {
    const parts = cipher.seal('token', 'g-1').split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => cipher.open(parts.join('.'), 'g-1')).toThrow(/integrity/);
  });

  it('opens values sealed with an older key after rotation', () => {
    const sealed = cipher.seal('token', 'g-1');
    const rotated = new AesGcmTokenCipher([Buffer.alloc(32, 2), key]);
    expect(rotated.open(sealed, 'g-1')).toBe('token');
    expect(() => new AesGcmTokenCipher([Buffer.alloc(32, 2)]).open(sealed, 'g-1')).toThrow(/unknown format or encryption key/);
  });
});
