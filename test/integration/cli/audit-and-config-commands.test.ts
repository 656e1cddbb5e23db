import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashAuditRecord, type AuditRecord } from '../../../src/domain/audit.ts';

const run = promisify(execFile);
const ROOT = new URL('../../../', import.meta.url).pathname;

const CONFIG = `
admins: [erin]
principals:
  - { id: alice, slack: U0ALICE }
  - { id: bob }
  - { id: erin }
scopes:
  - { name: prod-db-admin, description: DB admin, oauth_scope: db:admin, audience: https://db, max_duration: 2h, approvers: [bob] }
channels:
  - { platform: slack, channel: C0REVIEW, scopes: [prod-db-admin] }
`;

/** The operator's commands, run as processes the way `npm run config` and `npm run audit` run them. */
describe('config and audit commands', { timeout: 180_000 }, () => {
  let dir: string;
  let file: string;

  async function cli(script: 'config' | 'audit', ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(ROOT, `src/cli/${script}.ts`), ...args], {
        cwd: ROOT,
        env: { ...process.env, ELEVATE_DATA_DIR: dir, DATABASE_URL: '', ELEVATE_CONFIG: '' },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  async function tamper(sql: string): Promise<void> {
    const db = new PGlite(join(dir, 'pglite'));
    await db.exec(sql);
    await db.close();
  }

  let original: { seq: number; prev_hash: string; key_id: string | null; hash: string }[] = [];
  let originalHead = '';

  /** What someone who can write the database but lacks the audit key can do: plain SHA-256 from `seq` on. */
  async function forgeWithPlainHashes(seq: number, actor: string): Promise<void> {
    const db = new PGlite(join(dir, 'pglite'));
    const rows = (await db.query<{ seq: string; at: Date; type: string; actor: string; request_id: string | null; grant_id: string | null; data: Record<string, unknown>; prev_hash: string; key_id: string | null; hash: string }>('SELECT * FROM audit_records ORDER BY seq')).rows;
    original = rows.map((r) => ({ seq: Number(r.seq), prev_hash: r.prev_hash, key_id: r.key_id, hash: r.hash }));
    originalHead = rows.at(-1)!.hash;
    let prevHash = rows[seq - 2]!.hash;
    for (const row of rows.slice(seq - 1)) {
      const record = { seq: Number(row.seq), at: new Date(row.at), type: row.type as AuditRecord['type'], actor: Number(row.seq) === seq ? actor : row.actor, requestId: row.request_id, grantId: row.grant_id, data: row.data, prevHash, keyId: null };
      const hash = hashAuditRecord(record)!;
      await db.query('UPDATE audit_records SET actor = $1, prev_hash = $2, key_id = NULL, hash = $3 WHERE seq = $4', [record.actor, prevHash, hash, record.seq]);
      prevHash = hash;
    }
    await db.query('UPDATE audit_head SET hash = $1', [prevHash]);
    await db.close();
  }

  async function restore(): Promise<void> {
    const db = new PGlite(join(dir, 'pglite'));
    for (const row of original) await db.query('UPDATE audit_records SET prev_hash = $1, key_id = $2, hash = $3 WHERE seq = $4', [row.prev_hash, row.key_id, row.hash, row.seq]);
    await db.query('UPDATE audit_head SET hash = $1', [originalHead]);
    await db.close();
    expect((await cli('audit', 'verify')).code).toBe(0);
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-cli-'));
    file = join(dir, 'elevate.yaml');
    writeFileSync(file, CONFIG);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('plans without changing anything, applies with audit, then has nothing left to apply', async () => {
    const plan = await cli('config', 'plan', file);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('+ scope prod-db-admin');
    expect(plan.stdout).toContain('+ mapping slack:C0REVIEW:prod-db-admin');

    const apply = await cli('config', 'apply', file);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toMatch(/6 change\(s\)/);
    expect((await cli('config', 'plan', file)).stdout).toContain('no changes');
  });

  it('refuses a bad file, naming the key', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, CONFIG.replace('max_duration: 2h', 'max_duration: 3d'));
    const result = await cli('config', 'apply', bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('scopes[0].max_duration: 3d is over the maximum of 1d');
  });

  it('verifies an intact trail, exports it as JSON lines, and names the first record edited or deleted behind its back', async () => {
    const intact = await cli('audit', 'verify');
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/audit trail intact: 7 record\(s\), head #7/);

    const exported = await cli('audit', 'export');
    const lines = exported.stdout.trim().split('\n').map((line) => JSON.parse(line) as { seq: number; type: string; hash: string });
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(lines.at(-1)?.type).toBe('admin.config_applied');

    // The attack on a plain hash chain: edit a record, recompute every later hash and the head.
    await forgeWithPlainHashes(4, 'mallory');
    const forged = await cli('audit', 'verify');
    expect(forged.code).toBe(1);
    expect(forged.stdout).toMatch(/BROKEN at record #4: record 4 is hashed without a key although record 1 before it was keyed/);
    await tamper(`UPDATE audit_records SET actor = 'config:${file}' WHERE seq = 4`);
    await restore();

    await tamper(`UPDATE audit_records SET actor = 'mallory' WHERE seq = 4`);
    const edited = await cli('audit', 'verify');
    expect(edited.code).toBe(1);
    expect(edited.stdout).toMatch(/BROKEN at record #4: record 4 was altered/);

    await tamper(`UPDATE audit_records SET actor = 'config:${file}' WHERE seq = 4; DELETE FROM audit_records WHERE seq = 6`);
    const deleted = await cli('audit', 'verify');
    expect(deleted.code).toBe(1);
    expect(deleted.stdout).toMatch(/BROKEN at record #6: record 6 is missing/);
  });
});
