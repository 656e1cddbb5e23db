import { isIP } from 'node:net';
import { validate as isValidCronExpression } from 'node-cron';
import { nonEmpty, readSecret, type ConfigProblem, type Env } from './problems.ts';

/** Every environment variable of the audit stream, for the README table. */
export const AUDIT_STREAM_ENV_VARS = [
  { name: 'AUDIT_WEBHOOK_URL', default: '(unset: no stream)', meaning: 'Receiver (your SIEM) to which every audit record is POSTed, in order, in signed batches. https, or http to a loopback address only.' },
  { name: 'AUDIT_WEBHOOK_SECRET', default: '(required with the URL)', meaning: 'Shared secret (at least 32 characters) of the `Elevate-Signature` HMAC-SHA256 header. Also AUDIT_WEBHOOK_SECRET_FILE.' },
  { name: 'AUDIT_WEBHOOK_BATCH_SIZE', default: '100', meaning: 'Records per POST (1–1000).' },
  { name: 'AUDIT_WEBHOOK_TIMEOUT_MS', default: '10000', meaning: 'How long one POST may take before it counts as failed and is retried (100–120000).' },
  { name: 'AUDIT_WEBHOOK_SCHEDULE', default: '*/5 * * * * *', meaning: 'node-cron schedule (seconds first) of the stream; each run sends every batch that is waiting.' },
] as const;

export interface AuditStreamConfig {
  readonly url: string;
  readonly secret: string;
  readonly batchSize: number;
  readonly timeoutMs: number;
  readonly schedule: string;
}

export const MIN_WEBHOOK_SECRET_LENGTH = 32;

/**
 * Reads the audit stream's settings; null when `AUDIT_WEBHOOK_URL` is unset. Problems are pushed,
 * never thrown one by one. The secret never enters a message.
 */
export function readAuditStreamConfig(env: Env, problems: ConfigProblem[]): AuditStreamConfig | null {
  const urlText = nonEmpty(env['AUDIT_WEBHOOK_URL']);
  const secret = readSecret(env, 'AUDIT_WEBHOOK_SECRET', problems);
  if (urlText === undefined) {
    if (secret !== undefined) problems.push({ key: 'AUDIT_WEBHOOK_URL', message: 'required when AUDIT_WEBHOOK_SECRET is set (the receiver to stream the audit trail to)' });
    return null;
  }
  const url = checkUrl(urlText, problems);
  if (secret === undefined) {
    problems.push({ key: 'AUDIT_WEBHOOK_SECRET', message: 'required when AUDIT_WEBHOOK_URL is set: every batch is signed with it (e.g. `openssl rand -hex 32`); or set AUDIT_WEBHOOK_SECRET_FILE' });
  } else if (secret.length < MIN_WEBHOOK_SECRET_LENGTH) {
    problems.push({ key: 'AUDIT_WEBHOOK_SECRET', message: `expected at least ${MIN_WEBHOOK_SECRET_LENGTH} characters (e.g. \`openssl rand -hex 32\`)` });
  }
  const batchSize = readInteger(env, 'AUDIT_WEBHOOK_BATCH_SIZE', 100, 1, 1000, problems);
  const timeoutMs = readInteger(env, 'AUDIT_WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000, problems);
  const schedule = nonEmpty(env['AUDIT_WEBHOOK_SCHEDULE']) ?? '*/5 * * * * *';
  if (schedule.split(/\s+/).length !== 6 || !isValidCronExpression(schedule)) {
    problems.push({ key: 'AUDIT_WEBHOOK_SCHEDULE', message: 'expected a six-field cron expression with seconds first, e.g. "*/5 * * * * *" for every 5 seconds' });
  }
  if (url === null || secret === undefined) return null;
  return Object.freeze({ url, secret, batchSize, timeoutMs, schedule });
}

/**
 * https, or http to this machine only: the batches carry the whole audit trail, and over http
 * anyone on the path could read them (the signature proves who sent them, it hides nothing).
 */
function checkUrl(text: string, problems: ConfigProblem[]): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.push({ key: 'AUDIT_WEBHOOK_URL', message: 'expected an https URL such as https://siem.example.com/elevate' });
    return null;
  }
  if (url.protocol === 'https:') return url.toString();
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return url.toString();
  problems.push({
    key: 'AUDIT_WEBHOOK_URL',
    message:
      url.protocol === 'http:'
        ? `must be https: http is allowed only to a loopback address (localhost, 127.0.0.1, [::1]), and ${url.hostname} is not one; the batches carry the whole audit trail`
        : 'expected an https URL such as https://siem.example.com/elevate',
  });
  return null;
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

function readInteger(env: Env, key: string, fallback: number, min: number, max: number, problems: ConfigProblem[]): number {
  const text = nonEmpty(env[key]);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push({ key, message: `expected a whole number from ${min} to ${max}` });
    return fallback;
  }
  return value;
}
