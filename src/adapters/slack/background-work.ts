import type { Logger } from '../../logging/logger.ts';
import { describeError } from '../../app/describe-error.ts';

/**
 * Work that runs after Slack has been acknowledged. Listeners ack first and hand the rest here,
 * so Slack gets its answer in milliseconds while store writes, Web API calls and the token
 * exchange continue. `idle()` lets shutdown (and tests) wait until everything started has ended.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(label: string, work: () => Promise<void>): void {
    const task = work()
      .catch((error: unknown) => this.logger.error({ err: describeError(error), work: label }, 'Slack follow-up failed'))
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
