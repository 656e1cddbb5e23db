/**
 * Remembers the `jti` of every assertion accepted until it expires, so each one is single use
 * (RFC 7523 §3 allows the AS to enforce this). In memory: the development AS runs as one process.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  /** True the first time a `jti` is offered before its expiry; false for a replay. */
  firstUse(jti: string, expiresAtSec: number, nowSec: number): boolean {
    for (const [key, expiry] of this.seen) if (expiry < nowSec) this.seen.delete(key);
    if (this.seen.has(jti)) return false;
    this.seen.set(jti, expiresAtSec);
    return true;
  }
}
