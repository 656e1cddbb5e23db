/** At most `limit` calls per `windowMs` on one key (fixed windows, as Slack's per-minute tiers). */
export interface WindowLimit {
  limit: number;
  windowMs: number;
}

/**
 * Counts calls per key in fixed windows and says, for a call over the limit, how many whole
 * seconds remain until its window ends (vendors' `Retry-After` is whole seconds, at least 1).
 */
export class WindowCounter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts the call; returns `Retry-After` seconds when it is over `limit`, else `null`. */
  take(key: string, limit: WindowLimit): number | null {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= limit.windowMs) {
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    if (window.count >= limit.limit) return Math.max(1, Math.ceil((window.startedAt + limit.windowMs - now) / 1000));
    window.count += 1;
    return null;
  }
}
