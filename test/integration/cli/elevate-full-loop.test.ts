import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../../src/main.ts';
import { signInAsBrowser } from '../../support/dev-as-tokens.ts';
import { eventually } from '../../support/eventually.ts';
import { LogCapture } from '../../support/log-capture.ts';
import { loopbackServiceEnv } from '../../support/loopback-service-env.ts';

const BIN = new URL('../../../bin/elevate.mjs', import.meta.url).pathname;

const CONFIG = `
admins: [erin]
principals:
  - { id: alice, name: Alice (requester) }
  - { id: bob, name: Bob (approver) }
  - { id: erin, name: Erin (admin) }
  - { id: ci-deployer, name: CI deployer, kind: service }
scopes:
  - { name: deploy-prod, description: Deploy to production from CI, oauth_scope: deploy:prod, audience: https://deploy.example.com, max_duration: 1h, approvers: [bob], requesters: [ci-deployer, alice] }
  - name: prod-db-admin
    description: Administer the production database
    oauth_scope: db:admin
    audience: https://db.example.com
    max_duration: 2h
    approvers: [bob]
    requesters: [alice]
    mfa: { requester: true, approver: true, max_age: 15s, amr: [otp] }
channels:
  - { platform: slack, channel: C0REVIEWERS, scopes: [deploy-prod, prod-db-admin] }
`;

/** One `elevate` process, as a shell runs it: its own config directory and home, in an unrelated directory. */
interface CliProcess {
  stdout: string;
  stderr: string;
  exit: Promise<number>;
}

/**
 * The full loop from the CLI alone, on embedded defaults (PGlite, the embedded development AS, no
 * chat credentials): a service account logs in with client credentials and asks with
 * `--wait --print-token`; a person logs in by the device flow (this test plays the browser on the
 * development login page) and approves with `elevate approve`; the printed token is live at the AS
 * for the scope's audience until `elevate done` revokes it. Every `elevate` is a real child process.
 */
describe('elevate, the full loop on embedded defaults', { timeout: 180_000 }, () => {
  let service: RunningService;
  let dir: string;
  const logs = new LogCapture();
  const processes: CliProcess[] = [];

  function elevate(configDir: string, args: string[], env: Record<string, string> = {}): CliProcess {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: tmpdir(),
      env: { PATH: process.env.PATH ?? '', HOME: configDir, ELEVATE_CONFIG_DIR: configDir, ELEVATE_URL: service.url, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: CliProcess = { stdout: '', stderr: '', exit: new Promise((resolve) => child.on('close', (code) => resolve(code ?? -1))) };
    child.stdout.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
    processes.push(run);
    return run;
  }

  async function finished(run: CliProcess): Promise<CliProcess & { code: number }> {
    return { ...run, code: await run.exit, stdout: run.stdout, stderr: run.stderr };
  }

  function readCachedLogin(home: string): { accessToken: string; refreshToken?: string; expiresAt: number } {
    const [file] = readdirSync(join(home, 'logins'));
    return JSON.parse(readFileSync(join(home, 'logins', file!), 'utf8'));
  }

  /** Makes a cached login look expired, as it is after a lunch break; returns it as it was. */
  function expireCachedLogin(home: string): ReturnType<typeof readCachedLogin> {
    const [file] = readdirSync(join(home, 'logins'));
    const login = readCachedLogin(home);
    writeFileSync(join(home, 'logins', file!), JSON.stringify({ ...login, expiresAt: Date.now() - 1000 }), { mode: 0o600 });
    return login;
  }

  function configDir(name: string): string {
    return mkdtempSync(join(dir, `${name}-`));
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-cli-loop-'));
    writeFileSync(join(dir, 'elevate.yaml'), CONFIG);
    service = await startService({ ...(await loopbackServiceEnv(dir)), ELEVATE_CONFIG: join(dir, 'elevate.yaml') }, { logDestination: logs });
  });

  afterAll(async () => {
    await service?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** `elevate login` by the device flow, with this test signing in as `person` at the URL the CLI printed. */
  async function deviceLogin(person: string): Promise<string> {
    const home = configDir(person);
    const login = elevate(home, ['login']);
    await eventually(async () => /enter the code\s+\S+/.test(login.stderr));
    const url = /open\n\s+(\S+)\n/.exec(login.stderr)![1]!;
    const code = /enter the code\s+(\S+)/.exec(login.stderr)![1]!;
    expect(new URL(url).origin).toBe(service.url);
    await signInAsBrowser(url, { user_code: code }, person, dir);
    const done = await finished(login);
    expect(done.stderr).toContain(`Logged in to ${service.url} as ${person}.`);
    expect(done.code).toBe(0);
    return home;
  }

  it('a service account asks and waits, a person approves from the CLI, the printed token is live until done', async () => {
    const secrets = JSON.parse(readFileSync(join(dir, 'dev-client-secrets.json'), 'utf8')) as Record<string, string>;
    const secretFile = join(dir, 'ci-deployer.secret');
    writeFileSync(secretFile, `${secrets['ci-deployer']}\n`, { mode: 0o600 });
    const serviceHome = configDir('ci-deployer');
    const serviceEnv = { ELEVATE_CLIENT_ID: 'ci-deployer', ELEVATE_CLIENT_SECRET_FILE: secretFile };

    const serviceLogin = await finished(elevate(serviceHome, ['login', '--client-credentials'], serviceEnv));
    expect(serviceLogin.stderr).toBe(`Logged in to ${service.url} as ci-deployer.\n`);
    expect(serviceLogin.code).toBe(0);
    const [cacheFile] = readdirSync(join(serviceHome, 'logins'));
    expect(statSync(join(serviceHome, 'logins', cacheFile!)).mode & 0o777).toBe(0o600);
    expect(statSync(join(serviceHome, 'logins')).mode & 0o777).toBe(0o700);

    const waiting = elevate(serviceHome, ['request', 'deploy-prod', '15m', 'release', '2026.12.2', '--wait', '--print-token'], serviceEnv);
    await eventually(async () => /Request (\S+) \(deploy-prod\)/.test(waiting.stderr) || (await Promise.race([waiting.exit, false])) !== false, 2400);
    expect(waiting.stderr).toMatch(/Request \S+ \(deploy-prod\): pending, waiting for 1 more approval\(s\) from bob until /);
    const requestId = /Request (\S+) \(deploy-prod\)/.exec(waiting.stderr)![1]!;

    const bobHome = await deviceLogin('bob');
    const queue = await finished(elevate(bobHome, ['queue', '--json']));
    expect(queue.code).toBe(0);
    expect(JSON.parse(queue.stdout).requests).toEqual([expect.objectContaining({ id: requestId, requester: 'ci-deployer', source: 'cli', reason: 'release 2026.12.2' })]);

    // An expired login is renewed without asking: a person's by its refresh token.
    const bobBefore = expireCachedLogin(bobHome);
    const approve = await finished(elevate(bobHome, ['approve', requestId, '--comment', 'go ahead']));
    expect(readCachedLogin(bobHome).accessToken).not.toBe(bobBefore.accessToken);
    expect(approve.code).toBe(0);
    expect(approve.stdout).toContain(`${requestId}  deploy-prod for 15m, requested by ci-deployer`);

    const granted = await finished(waiting);
    expect(granted.code).toBe(0);
    expect(granted.stdout).toMatch(/^\S+\n$/);
    const token = granted.stdout.trim();
    expect(granted.stderr).toContain('approved by bob, granted until');
    expect(await service.deps.issuer.introspect(token)).toMatchObject({ active: true, sub: 'ci-deployer', scope: 'deploy:prod', aud: 'https://deploy.example.com' });

    // …and a service account's by asking for a new token with its credentials.
    const serviceBefore = expireCachedLogin(serviceHome);
    const status = await finished(elevate(serviceHome, ['status', requestId, '--json'], serviceEnv));
    expect(readCachedLogin(serviceHome).accessToken).not.toBe(serviceBefore.accessToken);
    expect(readCachedLogin(serviceHome).expiresAt).toBeGreaterThan(Date.now());
    expect(status.code).toBe(0);
    const grantId = JSON.parse(status.stdout).request.grant.id as string;

    // `elevate token` gives the same grant's token again, on stdout alone.
    const again = await finished(elevate(serviceHome, ['token', grantId], serviceEnv));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^\S+\n$/);

    const done = await finished(elevate(serviceHome, ['done', grantId], serviceEnv));
    expect(done.code).toBe(0);
    expect(done.stdout).toContain(`${grantId}  deploy-prod: revoked`);
    expect(await service.deps.issuer.introspect(token)).toEqual({ active: false });

    // Once the grant has ended, asking for its token says so, with the "grant has ended" exit code.
    const late = await finished(elevate(serviceHome, ['token', grantId], serviceEnv));
    expect(late.code).toBe(4);
    expect(late.stdout).toBe('');

    // No token or secret in anything the CLI printed but the one --print-token and token asked for, nor in the service's log.
    const cached = [bobBefore, readCachedLogin(bobHome), serviceBefore, readCachedLogin(serviceHome)];
    const secretsSeen = [token, secrets['ci-deployer']!, ...cached.flatMap((c) => [c.accessToken, c.refreshToken ?? c.accessToken])];
    for (const run of processes) for (const secret of secretsSeen) expect(run.stderr).not.toContain(secret);
    for (const secret of secretsSeen) expect(logs.text()).not.toContain(secret);
  });

  /** Plays the person at the device sign-in a running `elevate` printed for a step-up (its `nth` URL on stderr). */
  async function signInAgain(run: CliProcess, person: string, nth: number): Promise<void> {
    const prompts = () => [...run.stderr.matchAll(/open\n\s+(\S+)\n[\s\S]*?enter the code\s+(\S+)/g)];
    await eventually(async () => prompts().length >= nth, 2400);
    const [, url, code] = prompts()[nth - 1]!;
    await signInAsBrowser(url!, { user_code: code! }, person, dir);
  }

  it('on a scope that needs MFA, a sign-in older than max_age makes the CLI sign in again (RFC 9470) for the approval and for the token', async () => {
    const aliceHome = await deviceLogin('alice');
    const bobHome = await deviceLogin('bob');
    const waiting = elevate(aliceHome, ['request', 'prod-db-admin', '30m', 'INC-42', 'slow', 'queries', '--wait', '--print-token']);
    await eventually(async () => /Request (\S+) \(prod-db-admin\)/.test(waiting.stderr), 2400);
    const requestId = /Request (\S+) \(prod-db-admin\)/.exec(waiting.stderr)![1]!;

    // Both sign-ins are now older than the scope's 15 s.
    await new Promise((resolve) => setTimeout(resolve, 16_000));
    const approving = elevate(bobHome, ['approve', requestId]);
    await signInAgain(approving, 'bob', 1);
    const approved = await finished(approving);
    expect(approved.stderr).toContain('Sign in again');
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain(`${requestId}  prod-db-admin for 30m, requested by alice`);

    await signInAgain(waiting, 'alice', 1);
    const granted = await finished(waiting);
    expect(granted.code).toBe(0);
    expect(granted.stdout).toMatch(/^\S+\n$/);
    const token = granted.stdout.trim();
    expect(await service.deps.issuer.introspect(token)).toMatchObject({ active: true, sub: 'alice', scope: 'db:admin' });
    const trail = await service.deps.store.listAudit(0, 10_000);
    expect(trail.find((r) => r.type === 'request.verified' && r.requestId === requestId)).toMatchObject({ actor: 'alice', data: { amr: ['otp'] } });
    for (const run of [approving, waiting]) expect(run.stderr).not.toContain(token);
    expect(logs.text()).not.toContain(token);
  });

  it('exits with the outcome: 3 for a denial waited on, 1 for approving one\'s own request, 6 after logout', async () => {
    const aliceHome = await deviceLogin('alice');
    const asked = await finished(elevate(aliceHome, ['request', 'deploy-prod', '10m', 'hotfix', '--json']));
    expect(asked.code).toBe(0);
    const requestId = JSON.parse(asked.stdout).request.id as string;

    const own = await finished(elevate(aliceHome, ['approve', requestId]));
    expect(own.code).toBe(1);
    expect(own.stderr).toMatch(/^error \(self_approval\): /);

    const waiting = elevate(aliceHome, ['status', requestId, '--wait']);
    await eventually(async () => waiting.stderr.includes(`Request ${requestId}`));
    const bobHome = await deviceLogin('bob');
    const denied = await finished(elevate(bobHome, ['deny', requestId, '--reason', 'not during the freeze']));
    expect(denied.code).toBe(0);
    const outcome = await finished(waiting);
    expect(outcome.code).toBe(3);
    expect(outcome.stdout).toContain('status: denied by bob: not during the freeze');

    expect((await finished(elevate(aliceHome, ['logout']))).code).toBe(0);
    expect(readdirSync(join(aliceHome, 'logins'))).toEqual([]);
    const after = await finished(elevate(aliceHome, ['scopes']));
    expect(after.code).toBe(6);
    expect(after.stderr).toContain(`Not logged in to ${service.url}`);
  });
});
