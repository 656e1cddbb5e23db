import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
