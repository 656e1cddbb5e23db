import { isAbsolute, resolve } from 'node:path';
import { validate as isValidCronExpression } from 'node-cron';
import { z } from 'zod';
import { readSecret, nonEmpty, type ConfigProblem, type Env } from './problems.ts';

/** Every environment variable the service reads, for the README table and `--help`. */
export const SERVICE_ENV_VARS = [
  { name: 'PORT', default: '3000', meaning: 'HTTP port of the one server (Slack, Teams, health, JWKS, API).' },
  { name: 'HOST', default: '0.0.0.0', meaning: 'Interface to listen on.' },
  { name: 'ELEVATE_PUBLIC_URL', default: 'http://localhost:$PORT', meaning: 'Base URL at which others reach this server (JWKS URL, embedded AS issuer).' },
  { name: 'DATABASE_URL', default: '(unset: embedded PGlite)', meaning: 'PostgreSQL connection string. Unset: embedded PostgreSQL (PGlite) under ELEVATE_DATA_DIR.' },
  { name: 'ELEVATE_DATA_DIR', default: './.elevate', meaning: 'Embedded database, development keys and other local state.' },
  { name: 'ELEVATE_CONFIG', default: '(unset)', meaning: 'YAML file of admins, principals, scopes and channel mappings, applied at start-up.' },
  { name: 'ELEVATE_ENCRYPTION_KEY', default: '(generated in the data dir, development only)', meaning: 'Base64 32-byte key(s), comma-separated, newest first, sealing tokens at rest. Also ELEVATE_ENCRYPTION_KEY_FILE.' },
  { name: 'ELEVATE_AUDIT_KEY', default: '(generated in the data dir, development only)', meaning: 'Base64 key(s) of at least 32 bytes, comma-separated, newest first, keying the audit chain (HMAC-SHA256). Keep it outside the database; keep retired keys listed to verify old records. Also ELEVATE_AUDIT_KEY_FILE.' },
  { name: 'SWEEP_SCHEDULE', default: '*/5 * * * * *', meaning: 'node-cron schedule (seconds first) of the sweeper that expires requests and revokes ended grants.' },
  { name: 'SWEEP_CONCURRENCY', default: '64', meaning: 'Revocations the sweeper keeps in flight at the AS at once (1–1000); lower it for an AS that limits bursts.' },
  { name: 'LOG_LEVEL', default: 'info', meaning: 'pino level: fatal, error, warn, info, debug, trace, silent.' },
  { name: 'LOG_PRETTY', default: 'on when stdout is a TTY', meaning: 'true/false: human-readable logs instead of JSON lines.' },
  { name: 'NODE_ENV', default: 'development', meaning: 'production, development or test. production refuses development-only defaults (generated keys, embedded AS, http public URL, a Teams bot open to every tenant). Unset means development, but is refused when DATABASE_URL, OAUTH_ISSUER or ELEVATE_PUBLIC_URL point beyond this machine while such defaults would be used.' },
] as const;

export interface ServiceConfig {
  nodeEnv: string;
  production: boolean;
  host: string;
  port: number;
  publicUrl: string;
  databaseUrl: string | null;
  dataDir: string;
  configFile: string | null;
  logLevel: string;
  logPretty: boolean;
  encryptionKeys: Buffer[] | null;
  /** Secrets of the audit chain's keys, newest first; null: none configured. */
  auditKeys: Buffer[] | null;
  sweepSchedule: string;
  sweepConcurrency: number;
}

const NODE_ENVS = ['production', 'development', 'test'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const booleanText = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' });

const serviceEnvSchema = z.object({
  // A value outside the list (`prod`, `Production`, `staging`) is refused: it would otherwise run
  // with development defaults while its operator believes it is production.
  NODE_ENV: z.enum(NODE_ENVS, { error: `expected ${NODE_ENVS.join(', ')}: any other value would run with development defaults` }).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce
    .number({ error: 'expected a port number' })
    .int('expected a whole number')
    .min(0, 'expected 0–65535')
    .max(65_535, 'expected 0–65535')
    .default(3000),
  ELEVATE_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as https://elevate.example.com' }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgresql:// connection string')
    .optional(),
  ELEVATE_DATA_DIR: z.string().min(1).default('./.elevate'),
  ELEVATE_CONFIG: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  LOG_PRETTY: booleanText.optional(),
  SWEEP_SCHEDULE: z
    .string()
    .refine((expression) => expression.trim().split(/\s+/).length === 6 && isValidCronExpression(expression), {
      error: 'expected a six-field cron expression with seconds first, e.g. "*/5 * * * * *" for every 5 seconds',
    })
    .default('*/5 * * * * *'),
  SWEEP_CONCURRENCY: z.coerce
    .number({ error: 'expected a number of revocations in flight, e.g. 64' })
    .int('expected a whole number')
    .min(1, 'expected 1–1000')
    .max(1000, 'expected 1–1000')
    .default(64),
});

/** Reads and checks the service's own variables; problems are collected, never thrown one by one. */
export function readServiceConfig(env: Env, problems: ConfigProblem[], isTty = false): ServiceConfig {
  // Each variable is checked on its own, so one bad value neither hides another's problem nor
  // the good values (a bad PORT must not stop ELEVATE_CONFIG from being read and checked too).
  const defaults = serviceEnvSchema.parse({});
  const values: Record<string, unknown> = { ...defaults };
  for (const [key, field] of Object.entries(serviceEnvSchema.shape)) {
    const parsed = field.safeParse(nonEmpty(env[key]));
    if (parsed.success) values[key] = parsed.data;
    else problems.push({ key, message: parsed.error.issues[0]?.message ?? 'invalid value' });
  }
  return finish(values as z.infer<typeof serviceEnvSchema>, env, problems, isTty);
}

function finish(values: z.infer<typeof serviceEnvSchema>, env: Env, problems: ConfigProblem[], isTty: boolean): ServiceConfig {
  const production = values.NODE_ENV === 'production';
  const encryptionKeys = readEncryptionKeys(env, problems);
  if (production && !encryptionKeys) {
    problems.push({ key: 'ELEVATE_ENCRYPTION_KEY', message: 'required when NODE_ENV=production (base64 of 32 random bytes: `openssl rand -base64 32`)' });
  }
  const auditKeys = readAuditKeys(env, problems);
  if (production && !auditKeys) {
    problems.push({ key: 'ELEVATE_AUDIT_KEY', message: 'required when NODE_ENV=production (base64 of 32 random bytes, kept outside the database: `openssl rand -base64 32`)' });
  }
  const publicUrl = (values.ELEVATE_PUBLIC_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, '');
  if (production && !publicUrl.startsWith('https://')) {
    problems.push({
      key: 'ELEVATE_PUBLIC_URL',
      message: `${values.ELEVATE_PUBLIC_URL === undefined ? 'required' : 'must be https'} when NODE_ENV=production: the authorization server fetches Elevate's signing keys from $ELEVATE_PUBLIC_URL/.well-known/jwks.json, and over http anyone on the path could swap them and forge assertions`,
    });
  }
  const dataDir = isAbsolute(values.ELEVATE_DATA_DIR) ? values.ELEVATE_DATA_DIR : resolve(values.ELEVATE_DATA_DIR);
  return Object.freeze({
    nodeEnv: values.NODE_ENV,
    production,
    host: values.HOST,
    port: values.PORT,
    publicUrl,
    databaseUrl: values.DATABASE_URL ?? null,
    dataDir,
    configFile: values.ELEVATE_CONFIG ?? null,
    logLevel: values.LOG_LEVEL,
    logPretty: values.LOG_PRETTY === undefined ? isTty : ['true', '1', 'yes'].includes(values.LOG_PRETTY),
    encryptionKeys,
    auditKeys,
    sweepSchedule: values.SWEEP_SCHEDULE,
    sweepConcurrency: values.SWEEP_CONCURRENCY,
  });
}

function readEncryptionKeys(env: Env, problems: ConfigProblem[]): Buffer[] | null {
  const text = readSecret(env, 'ELEVATE_ENCRYPTION_KEY', problems);
  if (text === undefined) return null;
  const keys = text.split(',').map((part) => Buffer.from(part.trim(), 'base64'));
  if (keys.some((key) => key.length !== 32)) {
    problems.push({ key: 'ELEVATE_ENCRYPTION_KEY', message: 'expected base64 of exactly 32 bytes per key (comma-separated, newest first)' });
    return null;
  }
  return keys;
}

function readAuditKeys(env: Env, problems: ConfigProblem[]): Buffer[] | null {
  const text = readSecret(env, 'ELEVATE_AUDIT_KEY', problems);
  if (text === undefined) return null;
  const keys = text.split(',').map((part) => Buffer.from(part.trim(), 'base64'));
  if (keys.some((key) => key.length < 32)) {
    problems.push({ key: 'ELEVATE_AUDIT_KEY', message: 'expected base64 of at least 32 bytes per key (comma-separated, newest first)' });
    return null;
  }
  return keys;
}
