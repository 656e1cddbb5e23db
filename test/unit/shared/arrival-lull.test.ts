import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ArrivalLull } from '../../../src/shared/arrival-lull.ts';
import { FollowUpLanes } from '../../../src/shared/follow-up-lanes.ts';

describe('waiting for a lull in arriving requests', () => {
  let clock = 0;
  const lull = () => new ArrivalLull({ quietMs: 20, maxWaitMs: 500, now: () => clock });
  /** Moves the clock and the timers together, one millisecond at a time. */
  async function advance(ms: number): Promise<void> {
    for (let i = 0; i < ms; i += 1) {
      clock += 1;
      await vi.advanceTimersByTimeAsync(1);
    }
  }
  function settledFlag(promise: Promise<void>) {
    const state = { settled: false };
    void promise.then(() => (state.settled = true));
    return state;
  }

  beforeEach(() => {
    clock = 1_000;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => vi.useRealTimers());

  it('lets work start at once when nothing has arrived lately', async () => {
    const quiet = settledFlag(lull().whenQuiet());
    await vi.advanceTimersByTimeAsync(0);
    expect(quiet.settled).toBe(true);
  });

  it('waits until nothing has arrived for the quiet time, each arrival starting it again', async () => {
    const arrivals = lull();
    arrivals.noteArrival();
    const quiet = settledFlag(arrivals.whenQuiet());
    await advance(15);
    arrivals.noteArrival();
    await advance(15);
    expect(quiet.settled).toBe(false);
    await advance(6);
    expect(quiet.settled).toBe(true);
  });

  it('holds work back for the first part of a burst only: a stream that goes on is not waited out', async () => {
    const arrivals = lull();
    arrivals.noteArrival();
    const first = settledFlag(arrivals.whenQuiet());
    for (let ms = 0; ms < 490; ms += 10) {
      await advance(10);
      arrivals.noteArrival();
    }
    expect(first.settled).toBe(false);
    await advance(11);
    expect(first.settled).toBe(true);
    // Still the same stream: later work does not wait at all.
    arrivals.noteArrival();
    const later = settledFlag(arrivals.whenQuiet());
    await vi.advanceTimersByTimeAsync(0);
    expect(later.settled).toBe(true);
    // After a lull, the next burst is held back again.
    await advance(30);
    arrivals.noteArrival();
    const next = settledFlag(arrivals.whenQuiet());
    await advance(10);
    expect(next.settled).toBe(false);
    await advance(11);
    expect(next.settled).toBe(true);
  });

  it("holds back new requests' follow-ups, never decisions", async () => {
    const arrivals = lull();
    const lanes = new FollowUpLanes({ name: 'test', logger: { warn: () => undefined }, onFailure: () => undefined, requestsWaitFor: () => arrivals.whenQuiet() });
    const started: string[] = [];
    arrivals.noteArrival();
    lanes.requests.run('request', async () => void started.push('request'));
    lanes.decisions.run('decision', async () => void started.push('decision'));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['decision']);
    await advance(21);
    expect(started).toEqual(['decision', 'request']);
    await lanes.idle();
  });
});
