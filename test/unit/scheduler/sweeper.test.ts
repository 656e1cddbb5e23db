import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logging/logger.ts';
import { startSweeper, type RunningSweeper } from '../../../src/scheduler/sweeper.ts';
import { eventually } from '../../support/eventually.ts';

/** Once a year: in these tests every run but the first comes from the wake-up, not the schedule. */
const YEARLY = '0 0 0 1 1 *';

let sweeper: RunningSweeper | null = null;
afterEach(async () => {
  await sweeper?.stop();
  sweeper = null;
});

/**
 * Starts a sweeper whose every run reports the next grant end `nextEnd` gives (called with the
 * number of runs so far), and returns the times of its runs.
 */
function startSweeperReporting(nextEnd: (runsSoFar: number) => Date | null): { running: RunningSweeper; runs: number[] } {
  const runs: number[] = [];
  const running = startSweeper({
    schedule: YEARLY,
    logger: silentLogger(),
    sweep: async () => {
      runs.push(Date.now());
      return { breakGlassReminders: 0, expiredRequests: 0, remindedRequests: 0, escalatedRequests: 0, revoked: 0, revocationPending: 0, interruptedIssues: 0, lagsMs: [], nextGrantEndsAt: nextEnd(runs.length) };
    },
  });
  sweeper = running; // stopped after each test
  return { running, runs };
}

describe('the sweeper schedule', () => {
  it('wakes up when the next grant ends, before the next tick', async () => {
    const { running, runs } = startSweeperReporting((runsSoFar) => (runsSoFar === 1 ? new Date(Date.now() + 100) : null));
    await running.runNow();
    await eventually(async () => runs.length === 2);
    expect(runs[1]! - runs[0]!).toBeGreaterThanOrEqual(100);
  });

  it('leaves work that is already due to the next tick, so it never spins', async () => {
    const { running, runs } = startSweeperReporting(() => new Date(Date.now() - 1000));
    await running.runNow();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(runs.length).toBe(1);
  });

  it('does not wake up once stopped', async () => {
    const { running, runs } = startSweeperReporting(() => new Date(Date.now() + 50));
    await running.runNow();
    await running.stop();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(runs.length).toBe(1);
  });
});
