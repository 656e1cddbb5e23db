import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/domain/duration.ts';

describe('parseDuration', () => {
  it.each([
    ['15m', 900],
    ['1h', 3600],
    ['1h30m', 5400],
    ['2d', 172_800],
    ['90s', 90],
    [' 1H ', 3600],
  ])('reads %s as %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '1', 'h', '30m1h', '1.5h', '-1h', '1h 30m', '0h', '1w'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(/duration|zero/);
  });

  it('formats back to the shortest form', () => {
    expect(formatDuration(5400)).toBe('1h30m');
    expect(formatDuration(86_400 + 60)).toBe('1d1m');
    expect(formatDuration(0)).toBe('0s');
  });
});
