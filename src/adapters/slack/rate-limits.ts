import { RateLimitLanes, RateLimitWaitExceededError, type RateLimitWait } from '../../shared/rate-limit-lanes.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Metrics } from '../../ports/metrics.ts';
import { noMetrics } from '../../app/no-metrics.ts';
import { slackErrorLabel, slackMethodLabel, type SlackErrorLabel } from './api-errors.ts';

/**
 * Slack applies its limits per method and workspace, and `chat.postMessage` also per channel
 * (about one message per second): the lane a refused call waits in.
 */
export function slackLimitKey(method: string, channel: string | undefined): string {
  return method === 'chat.postMessage' && channel ? `${method}:${channel}` : method;
}

/** A 429 from Slack with a usable `Retry-After`, carried through the lanes. */
class SlackRateLimited extends Error {
  constructor(readonly retryAfterSec: number) {
    super(`Slack answered 429, retry after ${retryAfterSec} s`);
  }
}

/**
 * The `fetch` the Web API client sends with (its public `fetch` option), which waits out Slack's
 * 429s itself. Why not the client's own handling: on a 429 it pauses its whole request queue
 * (every method and channel) for the `Retry-After` and retries within `retryConfig`'s small
 * budget, so a sustained limit (one message per second per channel) drops messages after a few
 * tries and a herd of waiting calls retries at the same instant. Here a refused request waits the
 * named time in its own lane (method, or method and channel) and is sent again, in order behind
 * earlier ones on that limit, while other lanes go on; the wait is logged with method and
 * seconds. A 429 means Slack did not act on the request, so sending it again cannot post twice.
 * Each attempt gets its own timeout, so time spent waiting does not count against it.
 *
 * Every Web API call passes here, so this is also where its failures are counted for the
 * metrics (`error` from Slack's answer or the transport, mapped to a closed list), and each wait.
 */
export function rateLimitAwareFetch(options: { logger: Logger; timeoutMs: number; maxWaitMs?: number; fetch?: typeof fetch; metrics?: Metrics; onWait?: (wait: RateLimitWait) => void }): typeof fetch {
  const send = options.fetch ?? globalThis.fetch;
  const metrics = options.metrics ?? noMetrics;
  const lanes = new RateLimitLanes({
    logger: options.logger,
    retryAfterSec: (error) => (error instanceof SlackRateLimited ? error.retryAfterSec : undefined),
    platform: 'slack',
    onWait: (wait) => {
      metrics.chatRateLimitWait('slack', slackMethodLabel(wait.method), wait.seconds);
      options.onWait?.(wait);
    },
    ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
  });
  const failed = (method: string, error: SlackErrorLabel) => metrics.chatApiError('slack', slackMethodLabel(method), error);
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = url.pathname.split('/').pop() ?? '';
    const channel = channelOf(init?.body);
    let response: Response;
    try {
      response = await limited(method, channel, input, init);
    } catch (error) {
      failed(method, transportFailure(error));
      throw error;
    }
    if (response.status !== 200) failed(method, 'http_error');
    else if (options.metrics) void slackError(response.clone()).then((error) => error !== undefined && failed(method, slackErrorLabel(error)));
    return response;
  };

  function limited(method: string, channel: string | undefined, input: Parameters<typeof fetch>[0], init: Parameters<typeof fetch>[1]): Promise<Response> {
    return lanes.run(slackLimitKey(method, channel), { method, ...(channel ? { channel } : {}) }, async () => {
      const signal = options.timeoutMs > 0 ? AbortSignal.timeout(options.timeoutMs) : init?.signal;
      const response = await send(input, { ...init, ...(signal ? { signal } : {}) });
      const retryAfter = response.status === 429 ? Number.parseInt(response.headers.get('retry-after') ?? '', 10) : Number.NaN;
      if (Number.isNaN(retryAfter)) return response;
      await response.body?.cancel();
      throw new SlackRateLimited(retryAfter);
    });
  }
}

/** The `error` of a Web API answer `{ ok: false, error }`, read from a copy of the response; undefined when ok. */
async function slackError(copy: Response): Promise<string | undefined> {
  try {
    const text = await copy.text();
    if (!text.includes('"ok":false')) return undefined;
    const error = (JSON.parse(text) as { error?: unknown }).error;
    return typeof error === 'string' ? error : 'other';
  } catch {
    return undefined;
  }
}

function transportFailure(error: unknown): SlackErrorLabel {
  if (error instanceof RateLimitWaitExceededError) return 'rate_limit_wait_exceeded';
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  return 'network';
}

/** The `channel` argument of a form-encoded or JSON Web API body, if any. */
function channelOf(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  if (body.startsWith('{')) {
    try {
      const channel = (JSON.parse(body) as { channel?: unknown }).channel;
      return typeof channel === 'string' ? channel : undefined;
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(body).get('channel') ?? undefined;
}
