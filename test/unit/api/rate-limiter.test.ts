import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/adapters/api/rate-limiter.ts';
import { isElevateError } from '../../../src/domain/errors.ts';
import { FakeClock } from '../../support/fake-clock.ts';

function retryAfterOf(limiter: RateLimiter, principal: string): number | null {
  try {
    limiter.take(principal);
    return null;
  } catch (error) {
    expect(isElevateError(error, 'rate_limited')).toBe(true);
    return (error as { details: { retryAfterSec: number } }).details.retryAfterSec;
  }
}

describe('the API rate limit', () => {
  it('allows a minute\'s calls at once, then refuses with the seconds to wait', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(60, clock);
    for (let i = 0; i < 60; i++) expect(retryAfterOf(limiter, 'ci-deployer')).toBeNull();
    expect(retryAfterOf(limiter, 'ci-deployer')).toBe(1);
  });

  it('admits calls again as the allowance refills', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(6, clock);
    for (let i = 0; i < 6; i++) limiter.take('alice');
    expect(retryAfterOf(limiter, 'alice')).toBe(10);
    clock.advance(10);
    expect(retryAfterOf(limiter, 'alice')).toBeNull();
    expect(retryAfterOf(limiter, 'alice')).toBe(10);
  });

  it('counts each principal on its own', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(2, clock);
    limiter.take('alice');
    limiter.take('alice');
    expect(retryAfterOf(limiter, 'alice')).not.toBeNull();
    expect(retryAfterOf(limiter, 'bob')).toBeNull();
  });

  it('never lets a refused caller pile up a debt', () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(60, clock);
    for (let i = 0; i < 60; i++) limiter.take('alice');
    for (let i = 0; i < 100; i++) retryAfterOf(limiter, 'alice');
    clock.advance(1);
    expect(retryAfterOf(limiter, 'alice')).toBeNull();
  });
});
