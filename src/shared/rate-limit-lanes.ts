import { KeyedSerializer } from './keyed-serializer.ts';

/** The one logging call the lanes make (pino's shape), so this file depends on no layer. */
export interface WarnLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

/** What a refused call says about when to come back, or `undefined` when it was not rate limited. */
export type RetryAfterOf = (error: unknown) => number | undefined;

export interface RateLimitLanesOptions {
  logger: WarnLogger;
  /** Reads the vendor's `Retry-After` (seconds) from an error; `undefined` for every other failure. */
  retryAfterSec: RetryAfterOf;
  /**
   * Told of each wait beside its log line (the lane's key, the `context` given to `run`, the
   * seconds the vendor named): for metrics. It must not throw.
   */
  onWait?: (key: string, context: Record<string, unknown>, seconds: number) => void;
  /** Gives up (the call fails) once one call has waited this long in total. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** Fails a call that has waited out rate limits for longer than the lanes allow. */
export class RateLimitWaitExceededError extends Error {
  override readonly name = 'RateLimitWaitExceededError';
}

const DEFAULT_MAX_WAIT_MS = 10 * 60_000;

/**
 * Honours a vendor's HTTP 429 + `Retry-After` per limit key (a method, or a method and channel):
 * the refused call waits the time the vendor named and is sent again, and every later call on
 * the same key queues behind it in order until the key is free again, so a limited key is probed
 * by one call at a time instead of by a herd. Other keys are not held up. A 429 means the vendor
 * did not act on the call, so sending it again cannot deliver it twice; any other failure is
 * passed straight through (never retried here). Each wait is logged with its key and seconds.
 */
export class RateLimitLanes {
  private readonly resumeAt = new Map<string, number>();
  /** One call at a time per key, in arrival order. */
  private readonly lanes = new KeyedSerializer();
  private readonly maxWaitMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: RateLimitLanesOptions) {
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
  }

  /** Runs `call` under the limit of `key`; `context` (no secrets) goes into the wait's log line. */
  async run<T>(key: string, context: Record<string, unknown>, call: () => Promise<T>): Promise<T> {
    if (!this.busy(key)) {
      try {
        return await call();
      } catch (error) {
        const seconds = this.options.retryAfterSec(error);
        if (seconds === undefined) throw error;
        this.hold(key, context, seconds);
      }
    }
    return this.lanes.run(key, () => this.untilAccepted(key, context, call));
  }

  private busy(key: string): boolean {
    return this.lanes.isBusy(key) || (this.resumeAt.get(key) ?? 0) > this.now();
  }

  private hold(key: string, context: Record<string, unknown>, seconds: number): void {
    const until = this.now() + Math.max(0, seconds) * 1000;
    if (until > (this.resumeAt.get(key) ?? 0)) this.resumeAt.set(key, until);
    this.options.logger.warn({ ...context, limit: key, retryAfterSec: seconds }, `rate limited on ${key}: waiting ${seconds} s before sending again`);
    this.options.onWait?.(key, context, seconds);
  }

  private async untilAccepted<T>(key: string, context: Record<string, unknown>, call: () => Promise<T>): Promise<T> {
    let waited = 0;
    for (;;) {
      const wait = (this.resumeAt.get(key) ?? 0) - this.now();
      if (wait > 0) {
        waited += wait;
        if (waited > this.maxWaitMs) throw new RateLimitWaitExceededError(`gave up on ${key} after waiting ${Math.round(waited / 1000)} s for its rate limit`);
        await this.sleep(wait);
      }
      try {
        return await call();
      } catch (error) {
        const seconds = this.options.retryAfterSec(error);
        if (seconds === undefined) throw error;
        this.hold(key, context, seconds);
      }
    }
  }
}
