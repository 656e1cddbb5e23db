import { createHash } from 'node:crypto';

/** Longest time an introspection answer is reused: a revoked token stops working within this. */
export const MAX_CACHE_MS = 30_000;
const MAX_ENTRIES = 10_000;

/**
 * Remembers introspection answers for at most 30 s and never past the token's `exp`, so a burst
 * of API calls costs the AS one introspection per token. Keys are SHA-256 digests: the cache
 * holds no token. Bounded: the oldest entry goes when it is full.
 */
export class IntrospectionCache<T> {
  private readonly entries = new Map<string, { value: T; untilMs: number }>();

  constructor(private readonly nowMs: () => number) {}

  get(token: string): T | undefined {
    const key = digest(token);
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.untilMs <= this.nowMs()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Keeps `value` until `expiresAtMs` or 30 s from now, whichever is sooner. */
  set(token: string, value: T, expiresAtMs: number | null): void {
    const untilMs = Math.min(this.nowMs() + MAX_CACHE_MS, expiresAtMs ?? Number.POSITIVE_INFINITY);
    if (untilMs <= this.nowMs()) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(digest(token), { value, untilMs });
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
