import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_TOTP_SECRETS_FILE_NAME } from '../../../src/adapters/oauth/index.ts';
import { totpCodeAt, totpStepAt } from '../../../src/adapters/oauth/dev-server/totp/dev-totp.ts';
import { aPrincipal } from '../../support/builders.ts';
import { serveDevAuthorizationServer } from '../../fakes/oauth/dev-authorization-server-on-loopback.ts';
import { isCodePage } from '../../fakes/oauth/device-sign-in.ts';
import { TestBrowser } from '../../fakes/oauth/test-browser.ts';
import { generateBotKeys } from '../../fakes/oauth/test-bot-keys.ts';

const run = promisify(execFile);
const ROOT = new URL('../../../', import.meta.url).pathname;

const CONFIG = `
principals:
  - { id: alice, name: Alice }
  - { id: ci-deployer, kind: service }
`;

/** `npm run dev:otp -- <principal>`, run as a process the way npm runs it. */
describe('npm run dev:otp', { timeout: 120_000 }, () => {
  let dir: string;
  let dataDir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-dev-otp-'));
    dataDir = join(dir, 'data');
    writeFileSync(join(dir, 'elevate.yaml'), CONFIG);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function devOtp(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/dev-otp.ts'), ...args], {
        cwd: ROOT,
        env: { ...process.env, ELEVATE_DATA_DIR: dataDir, ELEVATE_CONFIG: join(dir, 'elevate.yaml'), NODE_ENV: 'development', ...env },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('says the data directory is missing', async () => {
    const answer = await devOtp(['alice']);
    expect(answer.code).toBe(1);
    expect(answer.stderr).toContain(`The data directory ${dataDir} does not exist`);
  });

  it('refuses a name that is not a person of the config file, and a service account', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dataDir, { recursive: true });
    const unknown = await devOtp(['mallory']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('mallory is not a principal of');
    const service = await devOtp(['ci-deployer']);
    expect(service.code).toBe(1);
    expect(service.stderr).toContain('ci-deployer is a service account');
    const usage = await devOtp([]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run dev:otp -- <principal>');
  });

  it('creates the secret, prints the current code and the otpauth URI, and the AS accepts that code', async () => {
    const answer = await devOtp(['alice']);
    expect(answer.code).toBe(0);
    const file = join(dataDir, DEV_TOTP_SECRETS_FILE_NAME);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const { secret } = JSON.parse(readFileSync(file, 'utf8'))['alice'] as { secret: string };
    const printed = /^code: (\d{6}) {2}\(alice, /m.exec(answer.stdout)![1]!;
    const now = totpStepAt(Date.now());
    expect([totpCodeAt(secret, now - 1), totpCodeAt(secret, now)]).toContain(printed);
    const uri = new URL(/^(otpauth:\/\/\S+)$/m.exec(answer.stdout)![1]!);
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Elevate (development):alice');
    expect(uri.searchParams.get('issuer')).toBe('Elevate (development)');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('period')).toBe('30');

    // The development AS reads the same file: the printed code signs alice in.
    const served = await serveDevAuthorizationServer({
      keys: (await generateBotKeys()).keys,
      clientId: 'elevate-bot',
      auth: { method: 'client_secret_basic', secret: 'dev-otp-test-secret' },
      apiClients: { dataDir, listPrincipals: async () => [aPrincipal({ id: 'alice', displayName: 'Alice' })] },
    });
    try {
      const started = await fetch(`${served.issuer}/device/auth`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: 'elevate-cli', scope: 'openid' }) });
      const device = (await started.json()) as { user_code: string; verification_uri: string };
      const browser = new TestBrowser();
      const confirm = await browser.submit(await browser.get(device.verification_uri), { user_code: device.user_code });
      const codePage = await browser.submit(await browser.submit(confirm, { confirm: 'yes' }), { principal: 'alice' }, '/login');
      expect(isCodePage(codePage)).toBe(true);
      expect((await browser.submit(codePage, { code: printed }, '/code')).body).toContain('is signed in');
      expect(JSON.parse(readFileSync(file, 'utf8'))['alice'].secret).toBe(secret);
    } finally {
      await served.close();
    }

    // Used now: dev:otp offers the next step's code instead of one the AS would refuse.
    const after = await devOtp(['alice'], { ELEVATE_CONFIG: '' });
    expect(after.code).toBe(0);
    const next = /^code: (\d{6})/m.exec(after.stdout)?.[1];
    if (next !== undefined) expect(next).not.toBe(printed);
  });

  it('without a config file, knows the people of the secrets file only', async () => {
    const answer = await devOtp(['bob'], { ELEVATE_CONFIG: '' });
    expect(answer.code).toBe(1);
    expect(answer.stderr).toContain('bob is not a person the development authorization server has seen');
    expect(answer.stderr).toContain('The people it knows: alice.');
  });
});
