import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe: a ticket, a `state`, a `nonce`, a PKCE verifier, a browser binding. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored in place of a secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** PKCE S256 (RFC 7636 §4.2). */
export function codeChallengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** Compares a presented secret with a stored hash in constant time. */
export function matchesHash(secret: string | null | undefined, storedHash: string | null): boolean {
  if (!secret || !storedHash) return false;
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
