import { nonEmpty, readSecret, type ConfigProblem, type Env } from './problems.ts';

/** Every environment variable of the metrics endpoint, for the README table. */
export const METRICS_ENV_VARS = [
  {
    name: 'METRICS_PORT',
    default: '(unset: no separate listener)',
    meaning: 'Serve GET /metrics (Prometheus text format) on a listener of its own at this port, never on the public PORT.',
  },
  {
    name: 'METRICS_HOST',
    default: '127.0.0.1, or HOST when NODE_ENV=production',
    meaning: 'Interface the METRICS_PORT listener binds to.',
  },
  {
    name: 'METRICS_TOKEN',
    default: '(unset)',
    meaning: 'Bearer token a scraper must send for /metrics (at least 16 characters). Without METRICS_PORT, /metrics is then served on the public PORT behind it. Also METRICS_TOKEN_FILE.',
  },
] as const;

/**
 * Where `/metrics` is served: nowhere (the default, a 404 on the public port), on a listener of
 * its own (`port`), or on the public port behind a bearer token. With both a port and a token,
 * the separate listener asks for the token too.
 */
export interface MetricsConfig {
  readonly enabled: boolean;
  /** The separate listener's port, or null: served on the public port (with a token) or not at all. */
  readonly port: number | null;
  readonly host: string;
  /** The bearer token a scrape must present, or null. */
  readonly token: string | null;
}

const MIN_TOKEN_LENGTH = 16;
/** RFC 6750 `b64token`: what a client can send after `Bearer `. */
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Reads the metrics settings; problems are pushed, never thrown one by one. */
export function readMetricsConfig(env: Env, problems: ConfigProblem[], context: { host: string; port: number; production: boolean }): MetricsConfig {
  const portText = nonEmpty(env['METRICS_PORT']);
  let port: number | null = null;
  if (portText !== undefined) {
    const value = Number(portText);
    if (!/^\d+$/.test(portText) || value > 65_535) problems.push({ key: 'METRICS_PORT', message: 'expected a port number, 0–65535' });
    else if (value !== 0 && value === context.port) problems.push({ key: 'METRICS_PORT', message: `must differ from PORT (${context.port}): metrics are kept off the public port` });
    else port = value;
  }

  const host = nonEmpty(env['METRICS_HOST']) ?? (context.production ? context.host : '127.0.0.1');

  const token = readSecret(env, 'METRICS_TOKEN', problems) ?? null;
  const usable = token !== null && token.length >= MIN_TOKEN_LENGTH && BEARER_TOKEN.test(token);
  if (token !== null && !usable) {
    problems.push({ key: 'METRICS_TOKEN', message: `expected at least ${MIN_TOKEN_LENGTH} characters of A–Z, a–z, 0–9 and -._~+/ (a bearer token), e.g. \`openssl rand -hex 32\`` });
  }
  const validToken = usable ? token : null;

  return Object.freeze({ enabled: port !== null || validToken !== null, port, host, token: validToken });
}
