import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_TOTP_SECRETS_FILE_NAME } from '../../src/adapters/oauth/index.ts';
import { msUntilStepEnds, nextUsableStep, totpCodeAt, totpStepAt } from '../../src/adapters/oauth/dev-server/totp/dev-totp.ts';
import { parseTotpSecrets } from '../../src/adapters/oauth/dev-server/totp/totp-secrets-file.ts';

/**
 * The one-time code a person types at the development AS's login, computed from their secret in
 * `<dataDir>/dev-totp-secrets.json` as an authenticator app would. A code is accepted once per
 * time step (RFC 6238 §5.2), so this takes the first step newer than the last accepted one —
 * the next step's code when the current one was used already (the AS accepts one step ahead) — and
 * so two sign-ins of one person within 30 seconds need no waiting. A third within the same step
 * cannot be done without waiting: that throws, rather than hand over a code the AS would refuse.
 *
 * The secret exists once the AS has shown the person's code step (or listed them at start).
 */
export function devTotpCode(dataDir: string, principalId: string, nowMs: number = Date.now(), options: { forgetUsedCodes?: boolean } = {}): string {
  const file = join(dataDir, DEV_TOTP_SECRETS_FILE_NAME);
  if (options.forgetUsedCodes) forgetUsedCodes(file, principalId);
  const entries = parseTotpSecrets(readFileSync(file, 'utf8'), file);
  const entry = Object.hasOwn(entries, principalId) ? entries[principalId] : undefined;
  if (entry === undefined) throw new Error(`no development TOTP secret for ${principalId} in ${file}`);
  const step = nextUsableStep(entry.last_step ?? null, nowMs);
  if (step === null) throw new Error(`${principalId} has used the codes of this time step and the next already; a further sign-in must wait for the next step`);
  return totpCodeAt(entry.secret, step);
}

/**
 * {@link devTotpCode}, as a person watching their authenticator app would get it: when this
 * person has used the codes of this step and the next already (a third sign-in within one
 * 30-second step, which a fast machine reaches), it waits for the next step to begin (at most
 * one step) instead of failing, and the AS's refusal of a reused code stays untouched.
 */
export async function usableDevTotpCode(dataDir: string, principalId: string): Promise<string> {
  const file = join(dataDir, DEV_TOTP_SECRETS_FILE_NAME);
  const entries = parseTotpSecrets(readFileSync(file, 'utf8'), file);
  const lastStep = Object.hasOwn(entries, principalId) ? entries[principalId]?.last_step ?? null : null;
  if (lastStep !== null && nextUsableStep(lastStep, Date.now()) === null) {
    const current = totpStepAt(Date.now());
    await new Promise((resolve) => setTimeout(resolve, msUntilStepEnds(current, Date.now()) + 50));
  }
  return devTotpCode(dataDir, principalId);
}

/**
 * For suites that sign one person in more often than a 30-second step allows (each a separate
 * scenario): the AS forgets which step this person last used, as if time had moved on. Written as
 * the AS writes the file (whole, renamed over, 0600). The refusal of a reused code has its own
 * tests (test/integration/oauth/dev-login-totp.test.ts), which never call this.
 */
function forgetUsedCodes(file: string, principalId: string): void {
  const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { secret: string; last_step?: number }>;
  const entry = stored[principalId];
  if (entry === undefined || entry.last_step === undefined) return;
  delete entry.last_step;
  writeFileSync(`${file}.tmp`, JSON.stringify(stored, null, 2), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
