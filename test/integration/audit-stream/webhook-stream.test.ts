import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/adapters/store/memory/memory-store.ts';
import { AUDIT_WEBHOOK_STREAM } from '../../../src/domain/audit-stream.ts';
import { AuditChainVerifier, auditKeyFromSecret, type AuditRecord } from '../../../src/domain/audit.ts';
import { createLogger } from '../../../src/logging/logger.ts';
import { startAuditStreamer } from '../../../src/scheduler/audit-streamer.ts';
import { AuditReceiver } from '../../support/audit-receiver.ts';
import { appendEvents, streamInstance, WEBHOOK_SECRET } from '../../support/audit-stream-harness.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { LogCapture } from '../../support/log-capture.ts';
import { streamWithTwoSenders } from '../../support/two-audit-senders.ts';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('the audit stream to a webhook', () => {
  const receivers: AuditReceiver[] = [];
  afterEach(async () => {
    for (const receiver of receivers.splice(0)) await receiver.stop().catch(() => undefined);
  });

  async function setUp(options: { batchSize?: number; timeoutMs?: number; keyed?: boolean } = {}) {
    const clock = new FakeClock();
    const store = new MemoryStore(clock, options.keyed ? auditKeyFromSecret(Buffer.alloc(32, 7)) : null);
    const receiver = await AuditReceiver.start(WEBHOOK_SECRET, () => Math.floor(clock.now().getTime() / 1000));
    receivers.push(receiver);
    const logs = new LogCapture();
    const logger = createLogger({ level: 'debug', destination: logs });
    const instance = (holder = 'a') => streamInstance({ holder, store, clock, receiver, batchSize: options.batchSize, timeoutMs: options.timeoutMs, logger });
    return { clock, store, receiver, logs, instance };
  }

  it('delivers every record in order, in signed batches, and the receiver rebuilds the chain from them alone', async () => {
    const { store, receiver, instance } = await setUp({ batchSize: 3 });
    await appendEvents(store, 7);
    expect(await instance().run()).toMatchObject({ outcome: 'caught_up', sent: 7, batches: 3, cursorSeq: 7 });
    expect(receiver.deliveries.map((d) => [d.firstSeq, d.lastSeq, d.signatureValid])).toEqual([
      [1, 3, true],
      [4, 6, true],
      [7, 7, true],
    ]);
    expect(receiver.problems).toEqual([]);
    expect(receiver.storedSeqs()).toEqual(range(1, 7));
    expect(await store.getAuditStreamLag(AUDIT_WEBHOOK_STREAM)).toEqual({ cursorSeq: 7, headSeq: 7, behind: 0, oldestUnsentAt: null });

    await appendEvents(store, 2);
    expect(await store.getAuditStreamLag(AUDIT_WEBHOOK_STREAM)).toMatchObject({ behind: 2 });
    expect(await instance().run()).toMatchObject({ outcome: 'caught_up', sent: 2 });
    expect(receiver.storedSeqs()).toEqual(range(1, 9));
    expect(receiver.problems).toEqual([]);
  });

  it('sends keyed records with their key id, prev hash and hash: linkage checks at the receiver, the full chain with the audit key', async () => {
    const { store, receiver, instance } = await setUp({ batchSize: 4, keyed: true });
    await appendEvents(store, 6, { scope: 'prod-db-admin' });
    await instance().run();
    expect(receiver.problems).toEqual([]);
    const received = receiver.storedSeqs().map((seq) => receiver.stored.get(seq)!);
    expect(received.every((r) => r.keyId === auditKeyFromSecret(Buffer.alloc(32, 7)).id)).toBe(true);
    // Whoever holds the audit key can verify every HMAC from the received copy alone.
    const verifier = new AuditChainVerifier([auditKeyFromSecret(Buffer.alloc(32, 7))]);
    for (const r of received) verifier.push({ ...r, at: new Date(r.at), requestId: r.requestId, grantId: r.grantId, keyId: r.keyId ?? null } as AuditRecord);
    expect(verifier.finish({ seq: 6, hash: received[5]!.hash })).toEqual({ ok: true, records: 6, headSeq: 6 });
  });

  it('keeps the cursor when the receiver answers 5xx, backs off exponentially up to the cap, and then delivers each record once', async () => {
    const { clock, store, receiver, logs, instance } = await setUp({ batchSize: 10 });
    await appendEvents(store, 5, { reason: 'SECRET-REASON-TEXT' });
    receiver.answers.push(503, 500, 502, 503, 500);
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const report = await instance().run();
      expect(report).toMatchObject({ outcome: 'failed', sent: 0, cursorSeq: 0 });
      waits.push(report.nextAttemptAt!.getTime() - clock.now().getTime());
      // Before the backoff is over nothing is sent, by this instance or any other.
      expect(await instance('b').run()).toMatchObject({ outcome: 'held_elsewhere' });
      expect(await instance().run()).toMatchObject({ outcome: 'backing_off' });
      clock.set(report.nextAttemptAt!);
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    expect(receiver.deliveries).toHaveLength(5);
    expect(receiver.stored.size).toBe(0);

    expect(await instance().run()).toMatchObject({ outcome: 'caught_up', sent: 5 });
    expect(receiver.accepted).toEqual(range(1, 5));
    expect(await store.getAuditStream(AUDIT_WEBHOOK_STREAM)).toMatchObject({ cursorSeq: 5, attempts: 0, nextAttemptAt: null });

    const failures = logs.entries.filter((e) => e.component === 'audit-stream' && e.level === 40);
    expect(failures.map((e) => [e.status, e.first_seq, e.last_seq, e.attempt])).toEqual([
      [503, 1, 5, 1],
      [500, 1, 5, 2],
      [502, 1, 5, 3],
      [503, 1, 5, 4],
      [500, 1, 5, 5],
    ]);
    expect(logs.text()).not.toContain('SECRET-REASON-TEXT');
    expect(logs.text()).not.toContain(WEBHOOK_SECRET);
    expect(logs.text()).not.toContain('/elevate/audit');
  });

  it('loses nothing while the receiver refuses connections, and resumes when it is back', async () => {
    const { clock, store, receiver, instance } = await setUp({ batchSize: 2 });
    await appendEvents(store, 3);
    expect(await instance().run()).toMatchObject({ outcome: 'caught_up', sent: 3 });
    await receiver.stop();
    await appendEvents(store, 3);
    const down = await instance().run();
    expect(down).toMatchObject({ outcome: 'failed', cursorSeq: 3 });
    await receiver.restart();
    clock.set(down.nextAttemptAt!);
    expect(await instance().run()).toMatchObject({ outcome: 'caught_up', sent: 3 });
    expect(receiver.accepted).toEqual(range(1, 6));
    expect(receiver.problems).toEqual([]);
  });

  it('sends a batch again when the receiver took it but did not answer in time, and repeats nothing else', async () => {
    const { clock, store, receiver, instance } = await setUp({ batchSize: 3, timeoutMs: 300 });
    await appendEvents(store, 8);
    receiver.answers.push('accept', 'hang');
    const timedOut = await instance().run();
    expect(timedOut).toMatchObject({ outcome: 'failed', sent: 3, cursorSeq: 3 });
    clock.set(timedOut.nextAttemptAt!);
    expect(await instance().run()).toMatchObject({ outcome: 'caught_up', sent: 5 });
    expect(receiver.accepted).toEqual([1, 2, 3, 4, 5, 6, 4, 5, 6, 7, 8]);
    expect(receiver.storedSeqs()).toEqual(range(1, 8));
    expect(receiver.problems).toEqual([]);
  });

  it('treats a redirect as a failure and never follows it', async () => {
    const { store, receiver, instance } = await setUp();
    await appendEvents(store, 1);
    receiver.answers.push(307);
    expect(await instance().run()).toMatchObject({ outcome: 'failed', cursorSeq: 0 });
    expect(receiver.deliveries).toHaveLength(1);
  });

  it('resumes from the cursor after a clean restart at once, and after a crash once the lease has run out', async () => {
    const { clock, store, receiver, instance } = await setUp({ batchSize: 5 });
    await appendEvents(store, 4);
    const first = instance('first-process');
    await first.run();
    await first.release();

    await appendEvents(store, 2);
    const second = instance('second-process');
    expect(await second.run()).toMatchObject({ outcome: 'caught_up', sent: 2, cursorSeq: 6 });
    // The second process dies without releasing: a third waits for the lease to run out.
    await appendEvents(store, 3);
    const third = instance('third-process');
    expect(await third.run()).toMatchObject({ outcome: 'held_elsewhere' });
    clock.advance(30);
    expect(await third.run()).toMatchObject({ outcome: 'caught_up', sent: 3, cursorSeq: 9 });
    expect(receiver.accepted).toEqual(range(1, 9));
    expect(receiver.deliveries.map((d) => d.userAgent)).toEqual(['first-process', 'second-process', 'third-process']);
  });

  it('sends nothing when a slow read left too little of the lease for a delivery, and sends at the next run', async () => {
    const { clock, store, receiver } = await setUp({ batchSize: 5 });
    await appendEvents(store, 2);
    let slow = true;
    const slowStore = Object.create(store) as typeof store;
    slowStore.listAudit = async (after, limit) => {
      if (slow) clock.advance(21); // the lease (30 s) now has 9 s left, under twice the 5 s timeout
      slow = false;
      return store.listAudit(after, limit);
    };
    const a = streamInstance({ holder: 'a', store: slowStore, clock, receiver, batchSize: 5, timeoutMs: 5_000 });
    expect(await a.run()).toMatchObject({ outcome: 'lease_short', sent: 0 });
    expect(receiver.deliveries).toEqual([]);
    expect(await a.run()).toMatchObject({ outcome: 'caught_up', sent: 2 });
  });

  it('never has two instances send at once or interleave their batches', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore(clock);
    const { receiver, appended, sentBy } = await streamWithTwoSenders([store, store], clock);
    expect(receiver.maxInFlight).toBe(1);
    expect(receiver.problems).toEqual([]);
    expect(receiver.accepted).toEqual(range(1, appended));
    expect(receiver.deliveries.every((d) => d.signatureValid)).toBe(true);
    expect(sentBy['instance-0']).toBeGreaterThan(0);
    expect(sentBy['instance-1']).toBeGreaterThan(0);
  });

  it('stops cleanly at shutdown: a delivery in flight is abandoned, the cursor stays, the lease is released', async () => {
    const { store, receiver, instance } = await setUp({ batchSize: 5, timeoutMs: 10_000 });
    await appendEvents(store, 3);
    receiver.answers.push('hang');
    const a = instance('a');
    const streamer = startAuditStreamer({ schedule: '0 0 1 1 *', run: (signal) => a.run(signal), release: () => a.release(), logger: createLogger({ level: 'silent' }) });
    const running = streamer.runNow();
    while (receiver.deliveries.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await streamer.stop();
    expect(await running).toMatchObject({ outcome: 'stopped', sent: 0 });
    expect(await store.getAuditStream(AUDIT_WEBHOOK_STREAM)).toMatchObject({ cursorSeq: 0, attempts: 0 });
    // Released: another instance takes over at once and sends the batch again.
    expect(await instance('b').run()).toMatchObject({ outcome: 'caught_up', sent: 3 });
  });
});
