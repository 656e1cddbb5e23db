import { describe, expect, it } from 'vitest';
import { RateLimitLanes, RateLimitWaitExceededError } from '../../../src/shared/rate-limit-lanes.ts';

class Limited extends Error {
  constructor(readonly seconds: number) {
    super('429');
  }
}

/** Lanes on a virtual clock: sleeping moves the clock, so no test waits for real. */
function lanesOnVirtualTime(maxWaitMs?: number) {
  let now = 0;
  const slept: number[] = [];
  const warnings: Record<string, unknown>[] = [];
  const lanes = new RateLimitLanes({
    logger: { warn: (fields) => void warnings.push(fields) },
    retryAfterSec: (error) => (error instanceof Limited ? error.seconds : undefined),
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    ...(maxWaitMs === undefined ? {} : { maxWaitMs }),
  });
  return { lanes, slept, warnings };
}

describe('rate-limit lanes', () => {
  it('waits the Retry-After the vendor named and sends the refused call again, logging the key and seconds', async () => {
    const { lanes, slept, warnings } = lanesOnVirtualTime();
    let attempts = 0;
    const result = await lanes.run('chat.postMessage:C1', { method: 'chat.postMessage' }, async () => {
      attempts += 1;
      if (attempts < 3) throw new Limited(2);
      return 'posted';
    });
    expect(result).toBe('posted');
    expect(attempts).toBe(3);
    expect(slept).toEqual([2000, 2000]);
    expect(warnings).toEqual([
      expect.objectContaining({ method: 'chat.postMessage', limit: 'chat.postMessage:C1', retryAfterSec: 2 }),
      expect.objectContaining({ retryAfterSec: 2 }),
    ]);
  });

  it('queues later calls on a limited key behind the refused one, in arrival order, and leaves other keys alone', async () => {
    const { lanes } = lanesOnVirtualTime();
    const order: string[] = [];
    let refusedOnce = false;
    const first = lanes.run('k', {}, async () => {
      if (!refusedOnce) {
        refusedOnce = true;
        throw new Limited(1);
      }
      order.push('first');
    });
    await Promise.resolve();
    const second = lanes.run('k', {}, async () => void order.push('second'));
    const other = lanes.run('other', {}, async () => void order.push('other'));
    await Promise.all([first, second, other]);
    expect(order).toEqual(['other', 'first', 'second']);
  });

  it('never retries a failure that is not a rate limit (it may have been acted on)', async () => {
    const { lanes } = lanesOnVirtualTime();
    let attempts = 0;
    await expect(
      lanes.run('k', {}, async () => {
        attempts += 1;
        throw new Error('socket hang up');
      }),
    ).rejects.toThrow('socket hang up');
    expect(attempts).toBe(1);
  });

  it('gives up with a clear error once one call has waited longer than allowed', async () => {
    const { lanes } = lanesOnVirtualTime(5_000);
    await expect(lanes.run('views.open', {}, async () => Promise.reject(new Limited(2)))).rejects.toThrow(RateLimitWaitExceededError);
  });
});

describe('rate-limit lanes, told of each wait', () => {
  it('calls onWait with the key, the context and the seconds of every wait, beside the log line', async () => {
    let now = 0;
    const waits: [string, Record<string, unknown>, number][] = [];
    const lanes = new RateLimitLanes({
      logger: { warn: () => undefined },
      retryAfterSec: (error) => (error instanceof Limited ? error.seconds : undefined),
      onWait: (key, context, seconds) => void waits.push([key, context, seconds]),
      now: () => now,
      sleep: async (ms) => void (now += ms),
    });
    let attempts = 0;
    await lanes.run('chat.update', { method: 'chat.update' }, async () => {
      attempts += 1;
      if (attempts < 3) throw new Limited(attempts);
      return 'ok';
    });
    expect(waits).toEqual([
      ['chat.update', { method: 'chat.update' }, 1],
      ['chat.update', { method: 'chat.update' }, 2],
    ]);
  });
});
