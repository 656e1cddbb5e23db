import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the batch's signature. */
export const SIGNATURE_HEADER = 'Elevate-Signature';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the shared secret>`. The time is
 * inside what is signed, so a receiver that refuses old timestamps refuses replays of old batches
 * (the same scheme as Stripe's and Slack's webhooks).
 */
export function signatureHeader(secret: string, timestampSec: number, body: string): string {
  return `t=${timestampSec},v1=${signatureOf(secret, timestampSec, body)}`;
}

function signatureOf(secret: string, timestampSec: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex');
}

/**
 * What a receiver does, for tests and as the reference the README's example follows: the header
 * parses, some `v1` matches in constant time, and the timestamp is within `toleranceSec` of now.
 */
export function verifySignatureHeader(input: { secret: string; header: string | undefined; body: string; nowSec: number; toleranceSec?: number }): boolean {
  const fields = (input.header ?? '').split(',').map((part) => part.trim().split('='));
  const t = Number(fields.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(input.nowSec - t) > (input.toleranceSec ?? 300)) return false;
  const expected = Buffer.from(signatureOf(input.secret, t, input.body), 'hex');
  return fields.some(([k, v]) => k === 'v1' && v !== undefined && /^[0-9a-f]{64}$/.test(v) && timingSafeEqual(Buffer.from(v, 'hex'), expected));
}
