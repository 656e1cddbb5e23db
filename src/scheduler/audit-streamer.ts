import cron, { type ScheduledTask } from 'node-cron';
import type { StreamAuditReport } from '../app/stream-audit-records.ts';
import type { Logger } from '../logging/logger.ts';

export interface RunningAuditStreamer {
  /** Runs the stream now, unless a run is going (then waits for that one). */
  runNow(): Promise<StreamAuditReport | null>;
  /** Stops scheduling, interrupts a delivery in flight (it is sent again later), and releases the lease. */
  stop(): Promise<void>;
}

/**
 * Drives the audit stream on its own node-cron schedule (six fields, seconds first). Runs never
 * overlap: a tick that comes while one is going is skipped. A run sends every waiting batch, so
 * a backlog drains in one run; a failing receiver is retried after the backoff the run stored.
 */
export function startAuditStreamer(input: {
  schedule: string;
  run: (signal: AbortSignal) => Promise<StreamAuditReport>;
  release: () => Promise<unknown>;
  logger: Logger;
}): RunningAuditStreamer {
  const log = input.logger.child({ component: 'audit-stream' });
  const stopping = new AbortController();
  let current: Promise<StreamAuditReport | null> | null = null;

  const trigger = (): Promise<StreamAuditReport | null> | undefined => {
    if (current || stopping.signal.aborted) return undefined;
    current = run().finally(() => {
      current = null;
    });
    return current;
  };

  const run = async (): Promise<StreamAuditReport | null> => {
    try {
      const report = await input.run(stopping.signal);
      if (report.sent > 0) log.info({ sent: report.sent, batches: report.batches, cursor_seq: report.cursorSeq, outcome: report.outcome }, `audit stream: ${report.sent} record(s) delivered`);
      return report;
    } catch (error) {
      log.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'audit stream run failed; the next run retries');
      return null;
    }
  };

  const task: ScheduledTask = cron.schedule(input.schedule, () => trigger(), {
    name: 'elevate-audit-stream',
    noOverlap: true,
    logger: { info: (m: string) => log.debug(m), warn: (m: string) => log.warn(m), error: (m: string | Error) => log.error(String(m)), debug: (m: string | Error) => log.debug(String(m)) },
  });

  return {
    async runNow() {
      return (await (trigger() ?? current)) ?? null;
    },
    async stop() {
      stopping.abort();
      await task.destroy();
      await current;
      try {
        await input.release();
      } catch (error) {
        log.warn({ err: error instanceof Error ? error.message : String(error) }, 'audit stream: could not release the lease; another instance takes over when it expires');
      }
    },
  };
}
