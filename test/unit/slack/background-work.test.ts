import { describe, expect, it } from 'vitest';
import { BackgroundWork } from '../../../src/adapters/slack/background-work.ts';
import { createLogger } from '../../../src/logging/logger.ts';
import { LogCapture } from '../../support/log-capture.ts';

/** A task that runs until the test releases it. */
function gate() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { release, done };
}

describe('Slack background work', () => {
  it('runs at most `concurrency` follow-ups at once and starts the next as one ends, in order', async () => {
    const work = new BackgroundWork(createLogger({ level: 'silent' }), { concurrency: 2, queued: 10 });
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    gates.forEach((g, i) => work.run(`task ${i}`, async () => {
      started.push(i);
      await g.done;
    }));
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    gates[0]!.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    gates[1]!.release();
    gates[2]!.release();
    await work.idle();
  });

  it('refuses new work once its queue is full, says so in the log, and accepts again when there is room', async () => {
    const logs = new LogCapture();
    const work = new BackgroundWork(createLogger({ level: 'info', destination: logs }), { concurrency: 1, queued: 1 });
    const first = gate();
    expect(work.run('running', () => first.done)).toBe(true);
    expect(work.run('waiting', async () => undefined)).toBe(true);
    expect(work.full()).toBe(true);
    expect(work.run('one too many', async () => undefined)).toBe(false);
    expect(logs.entries).toContainEqual(expect.objectContaining({ work: 'one too many', msg: 'Slack follow-up refused: the work queue is full' }));
    first.release();
    await work.idle();
    expect(work.full()).toBe(false);
    expect(work.run('later', async () => undefined)).toBe(true);
    await work.idle();
  });

  it('waits in idle() for queued work too, not only for what is running', async () => {
    const work = new BackgroundWork(createLogger({ level: 'silent' }), { concurrency: 1, queued: 5 });
    const finished: string[] = [];
    for (const name of ['a', 'b', 'c']) work.run(name, async () => void finished.push(name));
    await work.idle();
    expect(finished).toEqual(['a', 'b', 'c']);
  });
});
