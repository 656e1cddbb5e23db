import type { Logger } from '../../logging/logger.ts';
import { describeError } from '../../app/describe-error.ts';

export interface BackgroundWorkLimits {
  /** Follow-ups running at once. */
  concurrency: number;
  /** Follow-ups waiting for a turn; past it, new work is refused with a clear answer. */
  queued: number;
}

/**
 * Measured with 600 signed `/elevate` commands in 8 s (embedded PGlite): with every follow-up
 * started at once, hundreds of flows kept the single store thread's queue full, so each sweep's
 * queries waited behind them (sweeps overlapped, revocations stalled) and reviewer messages came
 * tens of seconds late. A few at a time keep the store busy while the sweeper's queries wait behind
 * only those few.
 */
export const DEFAULT_BACKGROUND_LIMITS: BackgroundWorkLimits = { concurrency: 8, queued: 2_000 };

/**
 * Work that runs after Slack has been acknowledged. Listeners ack first and hand the rest here,
 * so Slack gets its answer in milliseconds while store writes, Web API calls and the token
 * exchange continue: at most `concurrency` at once, the rest in a bounded FIFO queue, so a burst
 * leaves a bounded backlog rather than an unbounded pile of promises. `idle()` lets shutdown (and
 * tests) wait until everything accepted has ended.
 */
export class BackgroundWork {
  private readonly waiting: { label: string; work: () => Promise<void> }[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly limits: BackgroundWorkLimits;

  constructor(
    private readonly logger: Logger,
    limits: Partial<BackgroundWorkLimits> = {},
  ) {
    this.limits = { ...DEFAULT_BACKGROUND_LIMITS, ...limits };
  }

  /** True when new work would be refused: callers answer "busy" instead of accepting it. */
  full(): boolean {
    return this.waiting.length >= this.limits.queued;
  }

  /** Accepts `work` (returns true) or, when the queue is full, refuses it (false) and logs why. */
  run(label: string, work: () => Promise<void>): boolean {
    if (this.full()) {
      this.logger.warn({ work: label, queued: this.waiting.length, running: this.running.size }, 'Slack follow-up refused: the work queue is full');
      return false;
    }
    this.waiting.push({ label, work });
    this.startNext();
    return true;
  }

  private startNext(): void {
    while (this.running.size < this.limits.concurrency && this.waiting.length > 0) {
      const { label, work } = this.waiting.shift()!;
      const task: Promise<void> = Promise.resolve()
        .then(work)
        .catch((error: unknown) => this.logger.error({ err: describeError(error), work: label }, 'Slack follow-up failed'))
        .finally(() => {
          this.running.delete(task);
          this.startNext();
        });
      this.running.add(task);
    }
  }

  async idle(): Promise<void> {
    while (this.running.size > 0 || this.waiting.length > 0) await Promise.allSettled([...this.running]);
  }
}
