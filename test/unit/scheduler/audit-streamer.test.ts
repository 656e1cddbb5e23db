import { describe, expect, it } from 'vitest';
import type { StreamAuditReport } from '../../../src/app/stream-audit-records.ts';
import { createLogger } from '../../../src/logging/logger.ts';
import { startAuditStreamer } from '../../../src/scheduler/audit-streamer.ts';
import { LogCapture } from '../../support/log-capture.ts';

const YEARLY = '0 0 0 1 1 *';
const report = (sent = 0): StreamAuditReport => ({ outcome: 'caught_up', sent, batches: sent > 0 ? 1 : 0, cursorSeq: sent, nextAttemptAt: null });

describe('the audit stream schedule', () => {
  it('never overlaps runs: asking while one runs waits for that one', async () => {
    let release!: () => void;
    let runs = 0;
    const streamer = startAuditStreamer({
      schedule: YEARLY,
      logger: createLogger({ level: 'silent' }),
      release: async () => undefined,
      run: async () => {
        runs += 1;
        await new Promise<void>((resolve) => (release = resolve));
        return report(2);
      },
    });
    const first = streamer.runNow();
    const second = streamer.runNow();
    release();
    expect(await first).toEqual(report(2));
    expect(await second).toEqual(report(2));
    expect(runs).toBe(1);
    await streamer.stop();
  });

  it('logs a failing run and tries again at the next one', async () => {
    const logs = new LogCapture();
    let fail = true;
    const streamer = startAuditStreamer({
      schedule: YEARLY,
      logger: createLogger({ level: 'info', destination: logs }),
      release: async () => undefined,
      run: async () => {
        if (fail) throw new Error('store unavailable');
        return report(3);
      },
    });
    expect(await streamer.runNow()).toBeNull();
    fail = false;
    expect(await streamer.runNow()).toEqual(report(3));
    expect(logs.messages()).toEqual(['audit stream run failed; the next run retries', 'audit stream: 3 record(s) delivered']);
    await streamer.stop();
  });

  it('at stop, aborts the run in progress, waits for it, then releases the lease; no run starts after', async () => {
    const events: string[] = [];
    const streamer = startAuditStreamer({
      schedule: YEARLY,
      logger: createLogger({ level: 'silent' }),
      release: async () => events.push('released'),
      run: (signal) =>
        new Promise((resolve) => {
          events.push('running');
          signal.addEventListener('abort', () => {
            events.push('aborted');
            resolve({ ...report(), outcome: 'stopped' });
          });
        }),
    });
    const running = streamer.runNow();
    await streamer.stop();
    expect(await running).toMatchObject({ outcome: 'stopped' });
    expect(await streamer.runNow()).toBeNull();
    expect(events).toEqual(['running', 'aborted', 'released']);
  });
});
