import { HOTP, Secret, TOTP } from 'otpauth';
import { DEV_TOTP_ALGORITHM, DEV_TOTP_DIGITS, DEV_TOTP_ISSUER, DEV_TOTP_PERIOD_SEC, DEV_TOTP_WINDOW } from './totp-parameters.ts';

/** TOTP (RFC 6238) codes, secrets and URIs of the development AS; parameters in totp-parameters.ts. */
export { DEV_TOTP_ALGORITHM, DEV_TOTP_DIGITS, DEV_TOTP_ISSUER, DEV_TOTP_PERIOD_SEC, DEV_TOTP_WINDOW };

/** 160 bits, the HMAC-SHA-1 key length RFC 4226 §4 recommends. */
const SECRET_BYTES = 20;

/** A new secret from the system's CSPRNG, as base32 (what authenticator apps take). */
export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** The time step a moment falls in. */
export function totpStepAt(epochMs: number): number {
  return Math.floor(epochMs / 1000 / DEV_TOTP_PERIOD_SEC);
}

/** The code of one time step. */
export function totpCodeAt(secretBase32: string, step: number): string {
  return HOTP.generate({ secret: Secret.fromBase32(secretBase32), algorithm: DEV_TOTP_ALGORITHM, digits: DEV_TOTP_DIGITS, counter: step });
}

/**
 * The time step a code belongs to, within the window around `epochMs`, or null when it is no
 * code of this secret now. Only digits of the right length are compared at all.
 */
export function totpStepOf(secretBase32: string, code: string, epochMs: number): number | null {
  if (!new RegExp(`^[0-9]{${DEV_TOTP_DIGITS}}$`).test(code)) return null;
  const now = totpStepAt(epochMs);
  const delta = HOTP.validate({ token: code, secret: Secret.fromBase32(secretBase32), algorithm: DEV_TOTP_ALGORITHM, digits: DEV_TOTP_DIGITS, counter: now, window: DEV_TOTP_WINDOW });
  return delta === null ? null : now + delta;
}

/** The `otpauth://totp/…` URI (Key Uri Format) an authenticator app scans or imports. */
export function totpUri(secretBase32: string, principalId: string): string {
  return new TOTP({
    issuer: DEV_TOTP_ISSUER,
    label: principalId,
    secret: Secret.fromBase32(secretBase32),
    algorithm: DEV_TOTP_ALGORITHM,
    digits: DEV_TOTP_DIGITS,
    period: DEV_TOTP_PERIOD_SEC,
  }).toString();
}

/**
 * The step whose code a person should type now: the current one, or the next when the current
 * one was used already (the window accepts one step ahead), or null when both were used and the
 * person must wait for the step after. `lastStep` is the last accepted step (RFC 6238 §5.2).
 */
export function nextUsableStep(lastStep: number | null, epochMs: number): number | null {
  const now = totpStepAt(epochMs);
  const step = lastStep === null ? now : Math.max(now, lastStep + 1);
  return step > now + DEV_TOTP_WINDOW ? null : step;
}

/** Milliseconds until a step's code stops being the current one or, for a future step, starts. */
export function msUntilStepEnds(step: number, epochMs: number): number {
  return (step + 1) * DEV_TOTP_PERIOD_SEC * 1000 - epochMs;
}
