import type { Logger } from '../logging/logger.ts';
import { describeError } from './describe-error.ts';

/** Sends a notice, logging a failure instead of throwing it: the state change it reports is already recorded. */
export async function notifySafely(deps: { logger: Logger }, what: string, send: () => Promise<void>): Promise<void> {
  try {
    await send();
  } catch (error) {
    deps.logger.warn({ err: describeError(error), notice: what }, 'could not deliver a notice; the state change itself is recorded');
  }
}
