import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../../src/domain/backoff.ts';
import { withinDailyWindow } from '../../../src/domain/policy.ts';

describe('withinDailyWindow', () => {
  const at = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00.000Z`);
  it.each([
    ['08:00', { start: '08:00', end: '18:00' }, true],
    ['17:59', { start: '08:00', end: '18:00' }, true],
    ['18:00', { start: '08:00', end: '18:00' }, false],
    ['07:59', { start: '08:00', end: '18:00' }, false],
    ['23:30', { start: '22:00', end: '06:00' }, true],
    ['05:59', { start: '22:00', end: '06:00' }, true],
    ['12:00', { start: '22:00', end: '06:00' }, false],
  ])('at %s in %j is %s', (time, window, inside) => {
    expect(withinDailyWindow(at(time), window)).toBe(inside);
  });
});

describe('backoffDelayMs', () => {
  it('doubles from the base up to the cap, jittered between half and all of it', () => {
    const low = (n: number) => backoffDelayMs(n, { random: () => 0 });
    const high = (n: number) => backoffDelayMs(n, { random: () => 1 });
    expect([1, 2, 3, 4].map(high)).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect([1, 2, 3, 4].map(low)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(high(30)).toBe(300_000);
    expect(low(30)).toBe(150_000);
  });
});
