import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/adapters/store/open-store.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import type { Store } from '../../../src/ports/store.ts';
import { AuditReceiver } from '../../support/audit-receiver.ts';
import { appendEvents, streamInstance, WEBHOOK_SECRET } from '../../support/audit-stream-harness.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { createThrowawayDatabase, TEST_DATABASE_URL, type ThrowawayDatabase } from '../../support/postgres.ts';
import { streamWithTwoSenders } from '../../support/two-audit-senders.ts';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Instances of the service, each with its own connection pool, streaming one PostgreSQL trail. */
describe.skipIf(!TEST_DATABASE_URL)('audit stream instances on one PostgreSQL', () => {
  let database: ThrowawayDatabase;
  const stores: Store[] = [];
  const clock = new FakeClock();
  const open = async () => {
    const { store } = await openStore({ databaseUrl: database.url, dataDir: '/nonexistent', logger: silentLogger(), clock });
    stores.push(store);
    return store;
  };

  beforeEach(async () => {
    database = await createThrowawayDatabase(TEST_DATABASE_URL!);
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await database.drop();
  });

  it('never lets two instances send at once or interleave their batches, as the lease passes between them', async () => {
    const { receiver, appended, sentBy } = await streamWithTwoSenders([await open(), await open()], clock);
    expect(receiver.maxInFlight).toBe(1);
    expect(receiver.problems).toEqual([]);
    expect(receiver.accepted).toEqual(range(1, appended));
    expect(sentBy['instance-0']! + sentBy['instance-1']!).toBe(appended);
  });

  it('sends each batch once while four instances run at once and records are appended meanwhile', async () => {
    const receiver = await AuditReceiver.start(WEBHOOK_SECRET, () => Math.floor(clock.now().getTime() / 1000));
    try {
      const instances = await Promise.all(['a', 'b', 'c', 'd'].map(async (holder) => streamInstance({ holder, store: await open(), clock, receiver, batchSize: 5 })));
      const writer = stores[0]!;
      for (let round = 0; round < 6; round += 1) {
        await Promise.all([appendEvents(writer, 7), ...instances.map((instance) => instance.run()), appendEvents(writer, 3)]);
      }
      await Promise.all(instances.map((instance) => instance.run()));
      expect(receiver.maxInFlight).toBe(1);
      expect(receiver.problems).toEqual([]);
      expect(receiver.accepted).toEqual(range(1, 60));
      expect(new Set(receiver.deliveries.map((d) => d.userAgent)).size).toBe(1);
    } finally {
      await receiver.stop();
    }
  });
});
