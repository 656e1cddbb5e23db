import { RateLimitLanes, type RateLimitWait } from '../../shared/rate-limit-lanes.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Metrics } from '../../ports/metrics.ts';
import type { TeamsMethodLabel } from './api-errors.ts';

/**
 * `Retry-After` seconds of a Bot Connector 429 as botbuilder surfaces it (a `RestError` with
 * `statusCode` and the response's headers), else `undefined`. A 429 without a usable header waits
 * one second.
 */
export function connectorRetryAfterSec(error: unknown): number | undefined {
  const { statusCode, response } = (error ?? {}) as { statusCode?: unknown; response?: { headers?: { get?: (name: string) => string | undefined } } };
  if (statusCode !== 429) return undefined;
  const seconds = Number.parseInt(response?.headers?.get?.('retry-after') ?? '', 10);
  return Number.isNaN(seconds) ? 1 : seconds;
}

/**
 * Lanes for the bot's sends and updates, one per conversation. botbuilder's connector client
 * already honours `Retry-After` on a 429, but silently and within three retries it shares with
 * network errors, so under a sustained throttle it gives up and the card is lost. What it gives
 * up on comes here: the send waits the named seconds in its conversation's lane, is sent again
 * in order behind earlier ones there, and the wait is logged. A 429 means the connector did not
 * act, so sending again cannot post twice.
 */
export function connectorLanes(logger: Logger, options: { metrics?: Metrics; onWait?: (wait: RateLimitWait) => void } = {}): RateLimitLanes {
  const { metrics, onWait } = options;
  return new RateLimitLanes({
    logger,
    retryAfterSec: connectorRetryAfterSec,
    platform: 'teams',
    onWait: (wait) => {
      metrics?.chatRateLimitWait('teams', wait.method as TeamsMethodLabel, wait.seconds);
      onWait?.(wait);
    },
  });
}
