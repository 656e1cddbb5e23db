import { describe, expect, it } from 'vitest';
import { BoundedWorkQueue, type BoundedWorkLimits } from '../../../src/shared/bounded-work-queue.ts';
import { FollowUpLanes } from '../../../src/shared/follow-up-lanes.ts';

/** A task that runs until the test releases it. */
function gate() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { release, done };
}

function aQueue(limits: BoundedWorkLimits) {
  const warnings: Record<string, unknown>[] = [];
  const failures: string[] = [];
  const queue = new BoundedWorkQueue({ name: 'test queue', limits, logger: { warn: (fields) => void warnings.push(fields) }, onFailure: (_error, label) => void failures.push(label) });
  return { queue, warnings, failures };
}

describe('a bounded work queue', () => {
  it('runs at most `concurrency` tasks at once and starts the next as one ends, in order', async () => {
    const { queue } = aQueue({ concurrency: 2, queued: 10 });
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    gates.forEach((g, i) =>
      queue.run(`task ${i}`, async () => {
        started.push(i);
        await g.done;
      }),
    );
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    gates[0]!.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    gates[1]!.release();
    gates[2]!.release();
    await queue.idle();
  });

  it('refuses new work once its queue is full, says so in the log, and accepts again when there is room', async () => {
    const { queue, warnings } = aQueue({ concurrency: 1, queued: 1 });
    const first = gate();
    expect(queue.run('running', () => first.done)).toBe(true);
    expect(queue.run('waiting', async () => undefined)).toBe(true);
    expect(queue.full()).toBe(true);
    expect(queue.run('one too many', async () => undefined)).toBe(false);
    expect(queue.submit('one more', async () => 1)).toBeNull();
    expect(warnings).toContainEqual(expect.objectContaining({ queue: 'test queue', work: 'one too many', queued: 1, running: 1 }));
    first.release();
    await queue.idle();
    expect(queue.full()).toBe(false);
    expect(queue.run('later', async () => undefined)).toBe(true);
    await queue.idle();
  });

  it('hands a submitted task’s result or failure to its caller, and reports the failure', async () => {
    const { queue, failures } = aQueue({ concurrency: 1, queued: 5 });
    await expect(queue.submit('answer', async () => 42)).resolves.toBe(42);
    await expect(queue.submit('refusal', async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(queue.run('fire and forget', async () => Promise.reject(new Error('lost?')))).toBe(true);
    await queue.idle();
    expect(failures).toEqual(['refusal', 'fire and forget']);
  });

  it('waits in idle() for queued work too, not only for what is running', async () => {
    const { queue } = aQueue({ concurrency: 1, queued: 5 });
    const finished: string[] = [];
    for (const name of ['a', 'b', 'c']) queue.run(name, async () => void finished.push(name));
    await queue.idle();
    expect(finished).toEqual(['a', 'b', 'c']);
  });
});

describe('follow-up lanes', () => {
  it('runs a decision while every request slot is taken and the request queue is full', async () => {
    const lanes = new FollowUpLanes({ name: 'test', logger: { warn: () => undefined }, limits: { requests: { concurrency: 1, queued: 1 } }, onFailure: () => undefined });
    const held = gate();
    lanes.requests.run('request 1', () => held.done);
    lanes.requests.run('request 2', async () => undefined);
    expect(lanes.requests.full()).toBe(true);
    await expect(lanes.decisions.submit('approve click', async () => 'decided')).resolves.toBe('decided');
    held.release();
    await lanes.idle();
    expect(lanes.requests.isIdle() && lanes.decisions.isIdle()).toBe(true);
  });
});
