import { afterEach, describe, expect, it } from 'vitest';
import type { SweepReport } from '../../../src/app/sweep.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { startSweeper, type RunningSweeper } from '../../../src/scheduler/sweeper.ts';
import { eventually } from '../../support/eventually.ts';

/** Once a year: in these tests every run but the first comes from the wake-up, not the schedule. */
const YEARLY = '0 0 0 1 1 *';

function report(nextGrantEndsAt: Date | null): SweepReport {
  return { expiredRequests: 0, revoked: 0, revocationPending: 0, interruptedIssues: 0, lagsMs: [], nextGrantEndsAt };
}

let sweeper: RunningSweeper | null = null;
afterEach(async () => {
  await sweeper?.stop();
  sweeper = null;
});

describe('the sweeper schedule', () => {
  it('wakes up when the next grant ends, before the next tick', async () => {
    const runs: number[] = [];
    sweeper = startSweeper({
      schedule: YEARLY,
      logger: silentLogger(),
      sweep: async () => {
        runs.push(Date.now());
        return report(runs.length === 1 ? new Date(Date.now() + 100) : null);
      },
    });
    await sweeper.runNow();
    await eventually(async () => runs.length === 2);
    expect(runs[1]! - runs[0]!).toBeGreaterThanOrEqual(100);
  });

  it('leaves work that is already due to the next tick, so it never spins', async () => {
    let runs = 0;
    sweeper = startSweeper({
      schedule: YEARLY,
      logger: silentLogger(),
      sweep: async () => {
        runs += 1;
        return report(new Date(Date.now() - 1000));
      },
    });
    await sweeper.runNow();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(runs).toBe(1);
  });

  it('does not wake up once stopped', async () => {
    let runs = 0;
    sweeper = startSweeper({
      schedule: YEARLY,
      logger: silentLogger(),
      sweep: async () => {
        runs += 1;
        return report(new Date(Date.now() + 50));
      },
    });
    await sweeper.runNow();
    await sweeper.stop();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(runs).toBe(1);
  });
});
