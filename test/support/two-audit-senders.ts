import type { Store } from '../../src/ports/store.ts';
import { AuditReceiver } from './audit-receiver.ts';
import { appendEvents, streamInstance, WEBHOOK_SECRET } from './audit-stream-harness.ts';
import type { FakeClock } from './fake-clock.ts';

export interface TwoSendersOutcome {
  receiver: AuditReceiver;
  appended: number;
  /** Records acknowledged per instance. */
  sentBy: Record<string, number>;
}

/**
 * Two instances stream one trail at once, each through its own store handle (`stores[0]` and
 * `stores[1]` may be one store, or two connection pools on one database): every round appends
 * records and starts both runs together. Every third round the lease holder shuts down cleanly
 * (releases), every fourth the lease runs out (the fake clock passes it, between rounds: a lease
 * longer than a delivery is the premise). The caller checks what the receiver saw.
 */
export async function streamWithTwoSenders(stores: readonly [Store, Store], clock: FakeClock, rounds = 12): Promise<TwoSendersOutcome> {
  const receiver = await AuditReceiver.start(WEBHOOK_SECRET, () => Math.floor(clock.now().getTime() / 1000));
  const instances = stores.map((store, i) => streamInstance({ holder: `instance-${i}`, store, clock, receiver, batchSize: 4 }));
  const sentBy: Record<string, number> = { 'instance-0': 0, 'instance-1': 0 };
  let appended = 0;
  try {
    for (let round = 0; round < rounds; round += 1) {
      await appendEvents(stores[round % 2]!, 6);
      appended += 6;
      const order = round % 2 === 0 ? instances : [...instances].reverse();
      const reports = await Promise.all(order.map(async (instance) => ({ holder: instance.holder, report: await instance.run() })));
      for (const { holder, report } of reports) sentBy[holder]! += report.sent;
      if (round % 3 === 2) await Promise.all(instances.map((instance) => instance.release()));
      if (round % 4 === 3) clock.advance(31);
    }
  } finally {
    await receiver.stop();
  }
  return { receiver, appended, sentBy };
}
