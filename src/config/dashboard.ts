import { parseDuration } from '../domain/duration.ts';
import { DEFAULT_WEB_SESSION_LIMITS, type WebSessionLimits } from '../domain/web-session.ts';
import { nonEmpty, type ConfigProblem, type Env } from './problems.ts';

/** Every environment variable of the dashboard, for the README table. */
export const DASHBOARD_ENV_VARS = [
  { name: 'ELEVATE_SESSION_IDLE', default: '30m', meaning: 'A dashboard session ends after this long without a request (1m–24h).' },
  { name: 'ELEVATE_SESSION_LIFETIME', default: '12h', meaning: 'A dashboard session ends this long after sign-in however busy (5m–7d, at least the idle limit).' },
] as const;

export interface DashboardConfig {
  readonly sessions: WebSessionLimits;
}

/** Reads the dashboard's session limits; problems are pushed, never thrown one by one. */
export function readDashboardConfig(env: Env, problems: ConfigProblem[]): DashboardConfig {
  const idleSec = readDuration(env, 'ELEVATE_SESSION_IDLE', DEFAULT_WEB_SESSION_LIMITS.idleSec, { min: 60, max: 24 * 3600 }, problems);
  const absoluteSec = readDuration(env, 'ELEVATE_SESSION_LIFETIME', DEFAULT_WEB_SESSION_LIMITS.absoluteSec, { min: 300, max: 7 * 86_400 }, problems);
  if (absoluteSec < idleSec) problems.push({ key: 'ELEVATE_SESSION_LIFETIME', message: 'must be at least ELEVATE_SESSION_IDLE' });
  return Object.freeze({ sessions: Object.freeze({ idleSec, absoluteSec }) });
}

function readDuration(env: Env, key: string, fallback: number, range: { min: number; max: number }, problems: ConfigProblem[]): number {
  const text = nonEmpty(env[key]);
  if (text === undefined) return fallback;
  let seconds: number;
  try {
    seconds = parseDuration(text);
  } catch {
    problems.push({ key, message: 'expected a duration such as 30m, 8h or 1d' });
    return fallback;
  }
  if (seconds < range.min || seconds > range.max) {
    problems.push({ key, message: `expected between ${range.min / 60}m and ${range.max >= 86_400 ? `${range.max / 86_400}d` : `${range.max / 3600}h`}` });
    return fallback;
  }
  return seconds;
}
