import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_WEBHOOK_STREAM } from '../../../src/domain/audit-stream.ts';
import { startService, type RunningService } from '../../../src/main.ts';
import { AuditReceiver } from '../../support/audit-receiver.ts';
import { WEBHOOK_SECRET } from '../../support/audit-stream-harness.ts';
import { eventually } from '../../support/eventually.ts';
import { loopbackServiceEnv } from '../../support/loopback-service-env.ts';
import { createThrowawayDatabase, TEST_DATABASE_URL, type ThrowawayDatabase } from '../../support/postgres.ts';

const KEY = Buffer.alloc(32, 5).toString('base64');

/** Two whole services on one PostgreSQL database, both with AUDIT_WEBHOOK_URL, as a deployment runs them. */
describe.skipIf(!TEST_DATABASE_URL)('two services streaming one audit trail from PostgreSQL', () => {
  let database: ThrowawayDatabase;
  let receiver: AuditReceiver;
  const running: RunningService[] = [];
  const dirs: string[] = [];

  beforeEach(async () => {
    database = await createThrowawayDatabase(TEST_DATABASE_URL!);
    receiver = await AuditReceiver.start(WEBHOOK_SECRET);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((service) => service.stop()));
    await receiver.stop();
    await database.drop();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<RunningService> {
    const dir = mkdtempSync(join(tmpdir(), 'elevate-two-streams-'));
    dirs.push(dir);
    const service = await startService({
      ...(await loopbackServiceEnv(dir)),
      DATABASE_URL: database.url,
      ELEVATE_AUDIT_KEY: KEY,
      ELEVATE_ENCRYPTION_KEY: KEY,
      AUDIT_WEBHOOK_URL: receiver.url,
      AUDIT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      AUDIT_WEBHOOK_SCHEDULE: '* * * * * *',
      AUDIT_WEBHOOK_BATCH_SIZE: '4',
      LOG_LEVEL: 'silent',
    });
    running.push(service);
    return service;
  }

  it('lets one instance send at a time, in order, and the other take over when it stops', async () => {
    const services = [await start(), await start()];
    const append = (service: RunningService, n: number) =>
      service.deps.store.transaction((tx) => tx.appendAudits(Array.from({ length: n }, () => ({ type: 'message.posted' as const, actor: 'system' }))));
    const head = async () => (await services[0]!.deps.store.getAuditHead())?.seq ?? 0;

    for (let round = 0; round < 8; round += 1) {
      await Promise.all([append(services[0]!, 3), append(services[1]!, 2)]);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await eventually(async () => receiver.stored.size === (await head()));
    const holder = (await services[0]!.deps.store.getAuditStream(AUDIT_WEBHOOK_STREAM))!.holder;

    // The sender stops (its lease is released); the other instance carries on from the cursor.
    const sender = services.find((service) => service.auditStreamHolder === holder)!;
    const other = services.find((service) => service !== sender)!;
    await sender.stop();
    running.splice(running.indexOf(sender), 1);
    await append(other, 5);
    const total = (await other.deps.store.getAuditHead())!.seq;
    await eventually(async () => receiver.stored.size === total);
    expect((await other.deps.store.getAuditStream(AUDIT_WEBHOOK_STREAM))!.holder).not.toBe(holder);

    expect(receiver.maxInFlight).toBe(1);
    expect(receiver.problems).toEqual([]);
    expect(receiver.accepted).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(receiver.deliveries.every((d) => d.signatureValid)).toBe(true);
  }, 180_000);
});
