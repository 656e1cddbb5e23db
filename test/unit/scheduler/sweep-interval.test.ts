import { describe, expect, it } from 'vitest';
import { FALLBACK_SWEEP_INTERVAL_SEC, sweepIntervalSec } from '../../../src/scheduler/sweep-interval.ts';

describe('the sweep interval of a schedule', () => {
  it.each([
    ['*/5 * * * * *', 5],
    ['* * * * * *', 1],
    ['*/30 * * * * *', 30],
    ['0,15,30,45 * * * * *', 15],
    ['0,10 * * * * *', 10],
    ['0 * * * * *', 60],
    ['*/2 * * * *', 120],
  ])('reads %s as every %i s', (schedule, seconds) => {
    expect(sweepIntervalSec(schedule)).toBe(seconds);
  });

  it.each(['0 0 3 * * *', '1-5 * * * * *', 'nonsense'])('falls back for %s', (schedule) => {
    expect(sweepIntervalSec(schedule)).toBe(FALLBACK_SWEEP_INTERVAL_SEC);
  });
});
