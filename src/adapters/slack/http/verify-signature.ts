import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack refuses requests whose timestamp is further than this from now, and so do we. */
export const MAX_REQUEST_AGE_SEC = 5 * 60;

export type SignatureCheck =
  | { ok: true; timestampSec: number }
  | { ok: false; reason: 'missing_headers' | 'bad_timestamp' | 'stale_timestamp' | 'unknown_version' | 'signature_mismatch' };

/**
 * Slack's request signing (v0): HMAC-SHA256 over `v0:<timestamp>:<raw body>` with the signing
 * secret, compared in constant time; a timestamp more than five minutes from `now` (either way)
 * is refused, which bounds how long a captured request can be replayed. Pure: the time is a
 * parameter, so the published example vector is a unit test.
 */
export function verifySlackSignature(input: {
  signingSecret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  now: Date;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const timestampSec = Number(timestamp);
  if (Math.abs(Math.floor(input.now.getTime() / 1000) - timestampSec) > MAX_REQUEST_AGE_SEC) return { ok: false, reason: 'stale_timestamp' };
  if (!signature.startsWith('v0=')) return { ok: false, reason: 'unknown_version' };
  const expected = Buffer.from(signSlackRequest(input.signingSecret, timestamp, input.body), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature_mismatch' };
  return { ok: true, timestampSec };
}

/** The `X-Slack-Signature` value Slack sends for this body and timestamp. */
export function signSlackRequest(signingSecret: string, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}
