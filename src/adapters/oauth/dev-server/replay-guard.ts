/**
 * Remembers the `jti` of every assertion accepted until it expires, so each one is single use
 * (RFC 7523 §3 allows the AS to enforce this). In memory: the development AS runs as one process.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  private nextPruneSec = Number.NEGATIVE_INFINITY;

  /** True the first time a `jti` is offered before its expiry; false for a replay. */
  firstUse(jti: string, expiresAtSec: number, nowSec: number): boolean {
    this.pruneIfDue(nowSec);
    const expiry = this.seen.get(jti);
    if (expiry !== undefined && expiry >= nowSec) return false;
    this.seen.set(jti, expiresAtSec);
    return true;
  }

  /**
   * Forgets expired entries at most once a second: scanning on every call made each assertion
   * cost time in proportion to all those still remembered (thousands at a sweeper's pace).
   */
  private pruneIfDue(nowSec: number): void {
    if (nowSec < this.nextPruneSec) return;
    this.nextPruneSec = nowSec + 1;
    for (const [key, expiry] of this.seen) if (expiry < nowSec) this.seen.delete(key);
  }
}
