import cron, { type ScheduledTask } from 'node-cron';
import type { SweepReport } from '../app/sweep.ts';
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../ports/metrics.ts';

export const DEFAULT_SWEEP_SCHEDULE = '*/5 * * * * *';

export interface RunningSweeper {
  /** Runs a sweep now, unless one is running (then waits for that one). */
  runNow(): Promise<void>;
  /** Stops scheduling and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Drives the sweep on a node-cron schedule (six fields: seconds first). A run that is still
 * going when the next tick comes is not overlapped: the tick is skipped. Each run's figures are
 * logged; a failing run is logged and the next tick tries again (nothing is lost: due grants stay
 * due in the database).
 *
 * After each run, if the next grant ends before the next tick, one extra run is set for the
 * moment it ends, so a grant is revoked at its end rather than up to a whole interval later.
 * Only an end still in the future is waited for: anything already due is the next tick's, so
 * work another instance holds can never make this one spin.
 */
export function startSweeper(input: { schedule: string; sweep: () => Promise<SweepReport>; logger: Logger; metrics?: Metrics }): RunningSweeper {
  const log = input.logger.child({ component: 'sweeper' });
  let current: Promise<void> | null = null;
  let wakeUp: NodeJS.Timeout | null = null;
  let stopped = false;

  const trigger = (): Promise<void> | undefined => {
    if (current || stopped) return undefined;
    current = run().finally(() => {
      current = null;
    });
    return current;
  };

  const wakeUpAt = (endsAt: Date | null) => {
    if (wakeUp) clearTimeout(wakeUp);
    wakeUp = null;
    const nextTick = task.getNextRun();
    if (endsAt === null || stopped || endsAt.getTime() <= Date.now()) return;
    if (nextTick !== null && endsAt.getTime() >= nextTick.getTime()) return;
    // +1 ms: a grant is due once its end is not after "now".
    wakeUp = setTimeout(() => {
      wakeUp = null;
      void trigger();
    }, endsAt.getTime() - Date.now() + 1);
    wakeUp.unref();
  };

  const run = async () => {
    const started = Date.now();
    try {
      const report = await input.sweep();
      wakeUpAt(report.nextGrantEndsAt);
      const busy = report.expiredRequests + report.remindedRequests + report.escalatedRequests + report.revoked + report.revocationPending + report.interruptedIssues > 0;
      const lags = [...report.lagsMs].sort((a, b) => a - b);
      (busy ? log.info.bind(log) : log.debug.bind(log))(
        {
          expired_requests: report.expiredRequests,
          reminded_requests: report.remindedRequests,
          escalated_requests: report.escalatedRequests,
          revoked: report.revoked,
          revocation_pending: report.revocationPending,
          interrupted_issues: report.interruptedIssues,
          lag_p50_ms: percentile(lags, 0.5),
          lag_max_ms: lags.at(-1) ?? null,
          took_ms: Date.now() - started,
        },
        'sweep finished',
      );
    } catch (error) {
      log.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'sweep failed; the next run retries');
    } finally {
      input.metrics?.sweepFinished((Date.now() - started) / 1000);
    }
  };

  const task: ScheduledTask = cron.schedule(
    input.schedule,
    () => trigger(),
    { name: 'elevate-sweeper', noOverlap: true, logger: cronLogger(log) },
  );
  log.info({ schedule: input.schedule }, `sweeper scheduled (${input.schedule})`);

  return {
    async runNow() {
      await (trigger() ?? current);
    },
    async stop() {
      stopped = true;
      if (wakeUp) clearTimeout(wakeUp);
      await task.destroy();
      await current;
    },
  };
}

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

function cronLogger(log: Logger) {
  return {
    info: (message: string) => log.debug(message),
    warn: (message: string) => log.warn(message),
    error: (message: string | Error) => log.error(message instanceof Error ? message.message : message),
    debug: (message: string | Error) => log.debug(message instanceof Error ? message.message : message),
  };
}
