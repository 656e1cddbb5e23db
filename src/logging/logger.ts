import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino removes from every log line. Tokens and secrets must never be logged in the first
 * place; this is the second line of defence, and `test/` greps captured logs to prove the first.
 */
export const REDACTED_PATHS = [
  'token',
  'accessToken',
  'access_token',
  'refresh_token',
  'id_token',
  'subject_token',
  'actor_token',
  'client_secret',
  'clientSecret',
  'password',
  'secret',
  'privateKey',
  'authorization',
  'tokenSealed',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  '*.subject_token',
  '*.actor_token',
  '*.client_secret',
  '*.clientSecret',
  '*.password',
  '*.secret',
  '*.privateKey',
  '*.authorization',
  '*.tokenSealed',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
];

export interface LoggerOptions {
  level?: string;
  pretty?: boolean;
  /** Where lines go; tests pass a capturing stream. Defaults to stdout. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const base = {
    level: options.level ?? 'info',
    base: { service: 'elevate' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard', ignore: 'pid,hostname,service' } } });
  }
  return pino(base);
}

/** A logger that writes nothing, for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
