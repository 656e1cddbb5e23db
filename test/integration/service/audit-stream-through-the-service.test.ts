import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/problems.ts';
import { AUDIT_WEBHOOK_STREAM } from '../../../src/domain/audit-stream.ts';
import { startService, type RunningService } from '../../../src/main.ts';
import { AuditReceiver } from '../../support/audit-receiver.ts';
import { WEBHOOK_SECRET } from '../../support/audit-stream-harness.ts';
import { eventually } from '../../support/eventually.ts';
import { LogCapture } from '../../support/log-capture.ts';
import { loopbackServiceEnv } from '../../support/loopback-service-env.ts';

const CONFIG = `
admins: [erin]
principals:
  - { id: alice }
  - { id: erin }
scopes:
  - { name: prod-db-admin, description: DB admin, oauth_scope: db:admin, audience: https://db.example.com, max_duration: 2h, approvers: [erin] }
`;

describe('the service with AUDIT_WEBHOOK_URL', () => {
  const dirs: string[] = [];
  const running: RunningService[] = [];
  const receivers: AuditReceiver[] = [];

  afterEach(async () => {
    await Promise.all(running.splice(0).map((service) => service.stop()));
    for (const receiver of receivers.splice(0)) await receiver.stop();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function start(dir: string, receiver: AuditReceiver, logs = new LogCapture()) {
    const env = {
      ...(await loopbackServiceEnv(dir)),
      ELEVATE_CONFIG: join(dir, 'elevate.yaml'),
      AUDIT_WEBHOOK_URL: receiver.url,
      AUDIT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      AUDIT_WEBHOOK_SCHEDULE: '* * * * * *',
      LOG_LEVEL: 'debug',
    };
    const service = await startService(env, { logDestination: logs });
    running.push(service);
    return { service, logs };
  }

  it('streams the trail as it grows, signed and chained, and picks up where it stopped after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'elevate-audit-stream-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'elevate.yaml'), CONFIG);
    const receiver = await AuditReceiver.start(WEBHOOK_SECRET);
    receivers.push(receiver);

    const { service, logs } = await start(dir, receiver);
    const head = async () => (await service.deps.store.getAuditHead())?.seq ?? 0;
    const startedWith = await head();
    expect(startedWith).toBeGreaterThan(0);
    await eventually(async () => receiver.stored.size === startedWith);
    await service.deps.store.transaction((tx) => tx.appendAudit({ type: 'identity.linked', actor: 'alice', data: { platform: 'slack' } }));
    await eventually(async () => receiver.stored.size === startedWith + 1);
    await service.stop();
    running.splice(0);

    expect(logs.messages()).toContain(`audit stream: on, to ${new URL(receiver.url).origin} (* * * * * *)`);
    expect(logs.text()).not.toContain(WEBHOOK_SECRET);

    // The stop released the lease, so the next start sends at once, from the cursor.
    const again = await start(dir, receiver);
    await again.service.deps.store.transaction((tx) => tx.appendAudit({ type: 'identity.unlinked', actor: 'alice', data: { platform: 'slack' } }));
    const total = (await again.service.deps.store.getAuditHead())!.seq;
    await eventually(async () => receiver.stored.size === total);
    expect(receiver.accepted).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(receiver.deliveries.every((d) => d.signatureValid)).toBe(true);
    expect(receiver.problems).toEqual([]);
    // The cursor moves once the receiver's 2xx is back, a moment after the receiver stored the batch.
    await eventually(async () => (await again.service.deps.store.getAuditStreamLag(AUDIT_WEBHOOK_STREAM)).behind === 0);
    expect(await again.service.deps.store.getAuditStreamLag(AUDIT_WEBHOOK_STREAM)).toMatchObject({ behind: 0, oldestUnsentAt: null });
  }, 180_000); // two starts, the first with PGlite's initdb, on a shared machine

  it('refuses to start with an http receiver that is not on this machine, naming AUDIT_WEBHOOK_URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'elevate-audit-stream-'));
    dirs.push(dir);
    const error = await startService({
      ...(await loopbackServiceEnv(dir)),
      AUDIT_WEBHOOK_URL: 'http://siem.example.com/elevate',
      AUDIT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([{ key: 'AUDIT_WEBHOOK_URL', message: expect.stringMatching(/^must be https/) }]);
    expect((error as ConfigError).message).not.toContain(WEBHOOK_SECRET);
  });
});
