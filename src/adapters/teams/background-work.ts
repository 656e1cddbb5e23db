import { describeError } from '../../app/describe-error.ts';
import { isElevateError } from '../../domain/errors.ts';
import type { Logger } from '../../logging/logger.ts';

/**
 * Work that outlives the HTTP answer to Teams: a decision whose token exchange takes longer than
 * the invoke may wait, and follow-ups. `idle()` lets shutdown (and tests) wait for all of it.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly logger: Logger) {}

  /** Tracks `work` and returns it, so the caller may still await it. */
  track<T>(label: string, work: Promise<T>): Promise<T> {
    const task = work.then(
      () => undefined,
      // A refusal (self-approval, double click…) is answered to the clicker; it is not a failure.
      (error: unknown) =>
        isElevateError(error) && error.code !== 'internal'
          ? this.logger.info({ code: error.code, work: label }, 'Teams action refused')
          : this.logger.error({ err: describeError(error), work: label }, 'Teams follow-up failed'),
    );
    const tracked = task.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
    return work;
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
