import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEV_TOTP_PERIOD_SEC, nextUsableStep, totpCodeAt, totpStepAt, totpStepOf, totpUri } from '../../../src/adapters/oauth/dev-server/totp/dev-totp.ts';
import { DEV_TOTP_SECRETS_FILE_NAME } from '../../../src/adapters/oauth/index.ts';
import { usableDevTotpCode } from '../../support/dev-totp.ts';
import { DevTotpSecretsFile } from '../../../src/adapters/oauth/dev-server/totp/totp-secrets-file.ts';
import { createLogger } from '../../../src/logging/logger.ts';
import { LogCapture } from '../../support/log-capture.ts';

/** RFC 6238 Appendix B, HMAC-SHA-1 with the ASCII secret "12345678901234567890"; 6-digit codes are the last six digits. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: Array<[number, string]> = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
  [20000000000, '353130'],
];

describe('TOTP of the development AS', () => {
  it.each(RFC_VECTORS)('gives the RFC 6238 code at %i s', (timeSec, code) => {
    expect(totpCodeAt(RFC_SECRET, totpStepAt(timeSec * 1000))).toBe(code);
  });

  it('accepts a code one step either side, not two, and only six digits', () => {
    const nowMs = 1111111111_000;
    const now = totpStepAt(nowMs);
    for (const delta of [-1, 0, 1]) expect(totpStepOf(RFC_SECRET, totpCodeAt(RFC_SECRET, now + delta), nowMs)).toBe(now + delta);
    for (const delta of [-2, 2]) expect(totpStepOf(RFC_SECRET, totpCodeAt(RFC_SECRET, now + delta), nowMs)).toBeNull();
    expect(totpStepOf(RFC_SECRET, `${totpCodeAt(RFC_SECRET, now)}0`, nowMs)).toBeNull();
    expect(totpStepOf(RFC_SECRET, '', nowMs)).toBeNull();
  });

  it('offers the current step, then the next once the current one was used, then nothing', () => {
    const nowMs = 1234567890_000;
    const now = totpStepAt(nowMs);
    expect(nextUsableStep(null, nowMs)).toBe(now);
    expect(nextUsableStep(now - 5, nowMs)).toBe(now);
    expect(nextUsableStep(now, nowMs)).toBe(now + 1);
    expect(nextUsableStep(now + 1, nowMs)).toBeNull();
  });

  it('writes the otpauth URI an authenticator app reads', () => {
    const uri = new URL(totpUri(RFC_SECRET, 'alice@example.com'));
    expect(uri.protocol).toBe('otpauth:');
    expect(decodeURIComponent(uri.pathname)).toBe('/Elevate (development):alice@example.com');
    expect(Object.fromEntries(uri.searchParams)).toEqual({ issuer: 'Elevate (development)', secret: RFC_SECRET, algorithm: 'SHA1', digits: '6', period: '30' });
  });
});

describe('the TOTP secrets file', () => {
  let dir: string;
  let logs: LogCapture;
  let file: DevTotpSecretsFile;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-totp-'));
    logs = new LogCapture();
    file = DevTotpSecretsFile.inDataDir(dir, createLogger({ level: 'debug', destination: logs }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a secret once per person, mode 0600, and logs who got one, never the secret', async () => {
    const first = await file.entriesFor(['alice', 'bob']);
    const again = await file.entryFor('alice');
    expect(again.secret).toBe(first.get('alice')!.secret);
    expect(first.get('alice')!.secret).not.toBe(first.get('bob')!.secret);
    expect(first.get('alice')!.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(statSync(file.file).mode & 0o777).toBe(0o600);
    expect(logs.entries).toEqual([expect.objectContaining({ principals: ['alice', 'bob'], file: file.file })]);
    expect(logs.text()).not.toContain(first.get('alice')!.secret);
  });

  it('accepts a code once: the same code twice at once passes once, and an older one after a newer is refused', async () => {
    const { secret } = await file.entryFor('alice');
    const nowMs = Date.now();
    const now = totpStepAt(nowMs);
    const results = await Promise.all([file.checkCode('alice', totpCodeAt(secret, now), nowMs), file.checkCode('alice', totpCodeAt(secret, now), nowMs)]);
    expect(results.sort()).toEqual(['accepted', 'replayed']);
    expect(await file.checkCode('alice', totpCodeAt(secret, now + 1), nowMs)).toBe('accepted');
    expect(await file.checkCode('alice', totpCodeAt(secret, now - 1), nowMs)).toBe('replayed');
    expect(JSON.parse(readFileSync(file.file, 'utf8'))['alice']).toEqual({ secret, last_step: now + 1 });
  });

  it("refuses a code for a person without a secret, and another person's code", async () => {
    const bob = await file.entryFor('bob');
    const nowMs = Date.now();
    expect(await file.checkCode('carol', totpCodeAt(bob.secret, totpStepAt(nowMs)), nowMs)).toBe('wrong');
    await file.entryFor('alice');
    expect(await file.checkCode('alice', totpCodeAt(bob.secret, totpStepAt(nowMs)), nowMs)).toBe('wrong');
  });

  it('tightens loosened permissions, and names a broken file without showing its content', async () => {
    await file.entryFor('alice');
    chmodSync(file.file, 0o644);
    await file.entryFor('alice');
    expect(statSync(file.file).mode & 0o777).toBe(0o600);
    expect(logs.messages()).toContain('development TOTP secrets file was readable by others; permissions reset to 0600');

    writeFileSync(file.file, '{"alice":{"secret":"not base32 SUPERSECRET"}}', { mode: 0o600 });
    const error = (await file.entryFor('alice').then(() => new Error('no error'), (caught: unknown) => caught)) as Error;
    expect(error).toMatchObject({ code: 'config_invalid', message: expect.stringContaining(file.file) });
    expect(error.message).not.toContain('SUPERSECRET');
  });
});

describe('usableDevTotpCode (the browser tests’ authenticator)', () => {
  afterEach(() => vi.useRealTimers());

  it('waits for the next step when this step’s code and the next were used, then gives the first unused one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'elevate-totp-wait-'));
    try {
      const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
      const stepMs = DEV_TOTP_PERIOD_SEC * 1000;
      vi.useFakeTimers({ now: 1_800_000_000_000 - (1_800_000_000_000 % stepMs) + 5_000 });
      const now = totpStepAt(Date.now());
      writeFileSync(join(dir, DEV_TOTP_SECRETS_FILE_NAME), JSON.stringify({ alice: { secret, last_step: now + 1 } }), { mode: 0o600 });
      let code: string | null = null;
      void usableDevTotpCode(dir, 'alice').then((c) => (code = c));
      await vi.advanceTimersByTimeAsync(stepMs - 5_000 - 100);
      expect(code).toBeNull();
      await vi.advanceTimersByTimeAsync(200);
      expect(code).toBe(totpCodeAt(secret, now + 2));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
