import { nonEmpty, readSecret, type ConfigProblem, type Env } from './problems.ts';

/** Every environment variable the Slack adapter reads, for the README configuration table. */
export const SLACK_ENV_VARS = [
  {
    name: 'SLACK_SIGNING_SECRET',
    default: '(unset: Slack off)',
    meaning: 'Signing secret of the Slack app (Basic Information → App Credentials); every request to /slack/events is verified with it. Also SLACK_SIGNING_SECRET_FILE.',
  },
  {
    name: 'SLACK_BOT_TOKEN',
    default: '(unset: Slack off)',
    meaning: 'Bot User OAuth Token (`xoxb-…`) of the installed app. Also SLACK_BOT_TOKEN_FILE.',
  },
  {
    name: 'SLACK_APP_TOKEN',
    default: '(unset: HTTP mode)',
    meaning: 'App-level token (`xapp-…`, scope connections:write): switches to Socket Mode, so no public URL is needed. Also SLACK_APP_TOKEN_FILE.',
  },
  {
    name: 'SLACK_API_URL',
    default: 'https://slack.com/api/',
    meaning: 'Base URL of the Slack Web API (a proxy, or a local fake in tests). Must be https except on loopback.',
  },
  {
    name: 'SLACK_COMMAND',
    default: '/elevate',
    meaning: 'The slash command as declared in the app manifest.',
  },
  {
    name: 'SLACK_IDENTITY_EMAIL_LOOKUP',
    default: 'false',
    meaning:
      'true: a Slack user with no explicit link is matched to the principal with the same e-mail (users.info, scope users:read.email). Weaker than explicit links: it trusts every Slack workspace admin who can change e-mail addresses.',
  },
] as const;

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';
export const DEFAULT_SLACK_COMMAND = '/elevate';

/**
 * The Slack adapter's settings. Secrets are non-enumerable properties, so logging or serialising
 * the configuration never prints them.
 */
export interface SlackConfig {
  readonly mode: 'http' | 'socket';
  readonly signingSecret: string;
  readonly botToken: string;
  /** Only in Socket Mode. */
  readonly appToken: string | null;
  /** Always ends with a slash, as the Web API client expects. */
  readonly apiUrl: string;
  readonly command: string;
  readonly emailLookup: boolean;
}

/**
 * Reads the Slack settings. Returns null when Slack is not configured (neither the signing secret
 * nor the bot token is set); a half-configured Slack is a problem, not a silent "off".
 */
export function readSlackConfig(env: Env, problems: ConfigProblem[]): SlackConfig | null {
  const signingSecret = readSecret(env, 'SLACK_SIGNING_SECRET', problems);
  const botToken = readSecret(env, 'SLACK_BOT_TOKEN', problems);
  const appToken = readSecret(env, 'SLACK_APP_TOKEN', problems);
  if (signingSecret === undefined && botToken === undefined) {
    if (appToken !== undefined) problems.push({ key: 'SLACK_APP_TOKEN', message: 'set, but SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are not: Socket Mode needs all three' });
    return null;
  }
  if (signingSecret === undefined) problems.push({ key: 'SLACK_SIGNING_SECRET', message: 'required with SLACK_BOT_TOKEN: the signing secret from the app’s Basic Information page' });
  if (botToken === undefined) problems.push({ key: 'SLACK_BOT_TOKEN', message: 'required with SLACK_SIGNING_SECRET: the Bot User OAuth Token (xoxb-…) of the installed app' });
  else if (!botToken.startsWith('xoxb-')) problems.push({ key: 'SLACK_BOT_TOKEN', message: 'expected a bot token starting with xoxb-' });
  if (appToken !== undefined && !appToken.startsWith('xapp-')) problems.push({ key: 'SLACK_APP_TOKEN', message: 'expected an app-level token starting with xapp-' });

  const config = {
    mode: appToken === undefined ? ('http' as const) : ('socket' as const),
    apiUrl: readApiUrl(env, problems),
    command: readCommand(env, problems),
    emailLookup: readBoolean(env, 'SLACK_IDENTITY_EMAIL_LOOKUP', problems),
  };
  hide(config, 'signingSecret', signingSecret ?? '');
  hide(config, 'botToken', botToken ?? '');
  hide(config, 'appToken', appToken ?? null);
  return Object.freeze(config as SlackConfig);
}

function hide(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: false });
}

function readApiUrl(env: Env, problems: ConfigProblem[]): string {
  const text = nonEmpty(env['SLACK_API_URL']);
  if (text === undefined) return DEFAULT_SLACK_API_URL;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.push({ key: 'SLACK_API_URL', message: 'expected an absolute URL such as https://slack.com/api/' });
    return DEFAULT_SLACK_API_URL;
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    problems.push({ key: 'SLACK_API_URL', message: 'expected https (plain http only for localhost / loopback)' });
  }
  return text.endsWith('/') ? text : `${text}/`;
}

function readCommand(env: Env, problems: ConfigProblem[]): string {
  const text = nonEmpty(env['SLACK_COMMAND']) ?? DEFAULT_SLACK_COMMAND;
  if (!/^\/[a-z0-9_-]{1,31}$/.test(text)) {
    problems.push({ key: 'SLACK_COMMAND', message: 'expected a slash command such as /elevate (lower case, at most 32 characters)' });
    return DEFAULT_SLACK_COMMAND;
  }
  return text;
}

function readBoolean(env: Env, key: string, problems: ConfigProblem[]): boolean {
  const text = nonEmpty(env[key])?.toLowerCase();
  if (text === undefined) return false;
  if (['true', '1', 'yes'].includes(text)) return true;
  if (['false', '0', 'no'].includes(text)) return false;
  problems.push({ key, message: 'expected true or false' });
  return false;
}
