import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookAuditSink } from '../../../src/adapters/audit-webhook/index.ts';
import { MemoryStore } from '../../../src/adapters/store/memory/memory-store.ts';
import { auditKeyFromSecret, type AuditRecord } from '../../../src/domain/audit.ts';
import { systemClock } from '../../../src/domain/clock.ts';
import { appendEvents, WEBHOOK_SECRET } from '../../support/audit-stream-harness.ts';
import { eventually } from '../../support/eventually.ts';
import { freePort } from '../../support/free-port.ts';

/** The receiver example of the README's "Audit stream" section, run as it is printed there. */
function readmeReceiverSource(): string {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Audit stream'));
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error('no js example in the Audit stream section');
  expect(code.split('\n').length).toBeLessThanOrEqual(30);
  const prelude = "const store = (record) => process.stdout.write(`stored ${record.seq}\\n`);\n";
  return prelude + code.replace('.listen(8080);', ".listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('listening\\n'));");
}

describe("the README's receiver example", () => {
  let child: ChildProcess;
  let output = '';
  let url: string;
  let records: AuditRecord[];

  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'elevate-readme-receiver-')), 'receiver.mjs');
    writeFileSync(file, readmeReceiverSource());
    const port = await freePort();
    url = `http://127.0.0.1:${port}/audit`;
    child = spawn(process.execPath, [file], { env: { PATH: process.env.PATH, PORT: String(port), AUDIT_WEBHOOK_SECRET: WEBHOOK_SECRET }, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    while (!output.includes('listening')) {
      if (child.exitCode !== null) throw new Error('the example exited');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const store = new MemoryStore(systemClock, auditKeyFromSecret(Buffer.alloc(32, 1)));
    await appendEvents(store, 8);
    records = await store.listAudit(0, 100);
  });

  afterAll(() => {
    child?.kill();
  });

  const sink = (clock = systemClock, secret = WEBHOOK_SECRET) => new WebhookAuditSink({ url, secret, timeoutMs: 5_000, clock });
  const stored = () => [...output.matchAll(/stored (\d+)/g)].map((m) => Number(m[1]));
  /** The example's output reaches this process on its own pipe, possibly after the HTTP answer. */
  const storedOnceSettled = async (count: number) => {
    await eventually(async () => stored().length >= count);
    return stored();
  };

  it('accepts what Elevate sends, once per record, and takes a batch sent again as already held', async () => {
    expect(await sink().deliver(records.slice(0, 3))).toEqual({ ok: true, status: 200 });
    expect(await sink().deliver(records.slice(0, 5))).toEqual({ ok: true, status: 200 });
    expect(await storedOnceSettled(5)).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses a batch signed with another secret, or signed long ago (a replay)', async () => {
    expect(await sink(systemClock, `${WEBHOOK_SECRET}-other`).deliver(records.slice(5, 6))).toMatchObject({ ok: false, status: 401 });
    const tenMinutesAgo = { now: () => new Date(Date.now() - 600_000) };
    expect(await sink(tenMinutesAgo).deliver(records.slice(5, 6))).toMatchObject({ ok: false, status: 401 });
    expect(stored()).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses a batch that does not follow on from the last record it holds', async () => {
    expect(await sink().deliver(records.slice(6, 8))).toMatchObject({ ok: false, status: 409 });
    const forged = { ...records[5]!, prevHash: 'f'.repeat(64) };
    expect(await sink().deliver([forged])).toMatchObject({ ok: false, status: 409 });
    expect(await sink().deliver(records.slice(5, 8))).toEqual({ ok: true, status: 200 });
    expect(await storedOnceSettled(8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
