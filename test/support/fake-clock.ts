import type { Clock } from '../../src/domain/clock.ts';

/** A clock that only moves when the test says so. */
export class FakeClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2026-01-05T10:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(seconds: number): void {
    this.current += seconds * 1000;
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
}
