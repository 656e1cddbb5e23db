import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaStore } from '../../../src/adapters/store/prisma/prisma-store.ts';
import { AUDIT_WEBHOOK_STREAM } from '../../../src/domain/audit-stream.ts';
import { AuditReceiver } from '../../support/audit-receiver.ts';
import { appendEvents, streamInstance, WEBHOOK_SECRET } from '../../support/audit-stream-harness.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { migratedPGlite, TRUNCATE_ALL, type MigratedPGlite } from '../../support/pglite.ts';
import { streamWithTwoSenders } from '../../support/two-audit-senders.ts';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('the audit stream on embedded PGlite', () => {
  let db: MigratedPGlite;
  beforeAll(async () => {
    db = await migratedPGlite();
  });
  afterAll(async () => {
    await db.pglite.close();
  });
  const open = (clock: FakeClock) => new PrismaStore({ adapter: db.adapter, clock, expectedMigrations: db.expectedMigrations });

  it('never has two senders in one process send at once or interleave their batches', async () => {
    const clock = new FakeClock();
    const store = open(clock);
    try {
      const { receiver, appended } = await streamWithTwoSenders([store, store], clock, 8);
      expect(receiver.maxInFlight).toBe(1);
      expect(receiver.problems).toEqual([]);
      expect(receiver.accepted).toEqual(range(1, appended));
    } finally {
      await store.close();
      await db.pglite.exec(TRUNCATE_ALL);
    }
  });

  it('resumes from the stored cursor when the store is opened again after a stop', async () => {
    const clock = new FakeClock();
    const receiver = await AuditReceiver.start(WEBHOOK_SECRET, () => Math.floor(clock.now().getTime() / 1000));
    try {
      const before = open(clock);
      await appendEvents(before, 5);
      const first = streamInstance({ holder: 'before-restart', store: before, clock, receiver, batchSize: 2 });
      receiver.answers.push('accept', 503);
      expect(await first.run()).toMatchObject({ outcome: 'failed', sent: 2 });
      await first.release();
      await before.close();

      const after = open(clock);
      try {
        expect(await after.getAuditStream(AUDIT_WEBHOOK_STREAM)).toMatchObject({ cursorSeq: 2, attempts: 1 });
        const second = streamInstance({ holder: 'after-restart', store: after, clock, receiver, batchSize: 2 });
        expect(await second.run()).toMatchObject({ outcome: 'backing_off' });
        clock.advance(1);
        expect(await second.run()).toMatchObject({ outcome: 'caught_up', sent: 3, cursorSeq: 5 });
        expect(receiver.accepted).toEqual(range(1, 5));
        expect(receiver.problems).toEqual([]);
      } finally {
        await after.close();
      }
    } finally {
      await receiver.stop();
      await db.pglite.exec(TRUNCATE_ALL);
    }
  });
});
