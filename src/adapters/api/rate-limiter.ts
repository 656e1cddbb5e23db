import type { Clock } from '../../domain/clock.ts';
import { ElevateError } from '../../domain/errors.ts';

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * Calls per principal per minute, as a token bucket: a burst of the full minute's allowance is
 * allowed, then calls are admitted as the allowance refills. Per instance (several instances
 * behind a balancer each allow the limit). Idle buckets are dropped, so memory stays bounded by
 * the principals active in the last minute.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private lastPruneMs = 0;

  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Takes one call from the principal's allowance, or throws `rate_limited` with the seconds to wait. */
  take(principalId: string): void {
    const nowMs = this.clock.now().getTime();
    this.prune(nowMs);
    const bucket = this.buckets.get(principalId) ?? { tokens: this.perMinute, updatedMs: nowMs };
    const tokens = Math.min(this.perMinute, bucket.tokens + (nowMs - bucket.updatedMs) * this.perMs);
    if (tokens < 1) {
      this.buckets.set(principalId, { tokens, updatedMs: nowMs });
      const retryAfterSec = Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000));
      throw new ElevateError('rate_limited', `Too many calls: at most ${this.perMinute} a minute. Try again in ${retryAfterSec} s.`, {
        retryable: true,
        details: { retryAfterSec },
      });
    }
    this.buckets.set(principalId, { tokens: tokens - 1, updatedMs: nowMs });
  }

  private prune(nowMs: number): void {
    if (nowMs - this.lastPruneMs < 60_000) return;
    this.lastPruneMs = nowMs;
    for (const [id, bucket] of this.buckets) if (nowMs - bucket.updatedMs >= 60_000) this.buckets.delete(id);
  }
}
