import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseClientKeyText, parseSigningKeysText } from '../shared/keys/parse-key-file.ts';
import { nonEmpty, readSecret, type ConfigProblem, type Env } from './problems.ts';

/** Every environment variable the OAuth adapter reads, for the README configuration table. */
export const OAUTH_ENV_VARS = [
  {
    name: 'OAUTH_ISSUER',
    default: '(unset: embedded development AS at $ELEVATE_PUBLIC_URL/oauth)',
    meaning:
      'Issuer identifier of your authorization server; its metadata is discovered (OpenID discovery, then RFC 8414). Must be https unless the host is loopback. Required when NODE_ENV=production.',
  },
  {
    name: 'OAUTH_CLIENT_ID',
    default: '(required with OAUTH_ISSUER; `elevate` for the embedded AS)',
    meaning: 'Client id of Elevate at the authorization server.',
  },
  {
    name: 'OAUTH_CLIENT_SECRET',
    default: '(unset)',
    meaning: 'Client secret: authenticates with client_secret_basic. Also OAUTH_CLIENT_SECRET_FILE.',
  },
  {
    name: 'OAUTH_PRIVATE_KEY_FILE',
    default: '(unset)',
    meaning:
      'PEM (PKCS#8) or JWK file of a private key: authenticates with private_key_jwt (RFC 7523) using that key; its public half is also served in /.well-known/jwks.json. With neither this nor a secret, private_key_jwt uses the bot signing key.',
  },
  {
    name: 'ELEVATE_SIGNING_KEYS_FILE',
    default: '(unset: a key pair generated once in $ELEVATE_DATA_DIR, development only)',
    meaning:
      'JWKS file with the private keys that sign the bot assertions, newest first: the first key signs, all are published at /.well-known/jwks.json. Required when NODE_ENV=production.',
  },
  {
    name: 'OAUTH_TIMEOUT_MS',
    default: '10000',
    meaning: 'Timeout of each request to the authorization server, in milliseconds.',
  },
  {
    name: 'OAUTH_SUBJECT_TOKEN_TYPE',
    default: 'urn:ietf:params:oauth:token-type:jwt',
    meaning:
      'subject_token_type sent with the bot-signed subject assertion. Change it only for an AS that wants its own URI (Auth0 Custom Token Exchange reserves urn:ietf:…). External AS only.',
  },
  {
    name: 'OAUTH_AUDIENCE_PARAMETER',
    default: 'audience',
    meaning: 'How the scope audience is sent in the token exchange: audience, resource (RFC 8707) or both.',
  },
] as const;

export const DEFAULT_EMBEDDED_CLIENT_ID = 'elevate';
export const DEFAULT_OAUTH_TIMEOUT_MS = 10_000;
export const EMBEDDED_ISSUER_PATH = '/oauth';
export const DEV_SIGNING_KEYS_FILENAME = 'oauth-signing-keys.json';

export const DEFAULT_SUBJECT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

export type AudienceParameter = 'audience' | 'resource' | 'both';
const AUDIENCE_PARAMETERS: readonly AudienceParameter[] = ['audience', 'resource', 'both'];

/**
 * How Elevate authenticates to the authorization server. The secret is a non-enumerable
 * property so that logging or serialising the configuration never prints it.
 */
export type ClientAuthConfig =
  | { readonly method: 'client_secret_basic'; readonly secret: string }
  | { readonly method: 'private_key_jwt'; readonly keyFile: string | null };

/** Where the keys that sign the bot's assertions come from. */
export type SigningKeysConfig =
  | { readonly source: 'file'; readonly file: string }
  | { readonly source: 'generated'; readonly file: string };

export interface OAuthConfig {
  /** `embedded`: no OAUTH_ISSUER, the development AS is served under /oauth of this server. */
  readonly mode: 'external' | 'embedded';
  readonly issuer: string;
  readonly clientId: string;
  readonly clientAuth: ClientAuthConfig;
  readonly signingKeys: SigningKeysConfig;
  /** `iss` of the assertions the bot signs: this server's public URL. */
  readonly assertionIssuer: string;
  /** Where the bot's public keys are served; what an AS registers as the client's `jwks_uri`. */
  readonly jwksUrl: string;
  readonly timeoutMs: number;
  /** `subject_token_type` of the subject assertion (RFC 8693 §3). */
  readonly subjectTokenType: string;
  readonly audienceParameter: AudienceParameter;
  /** Plain http to the AS is tolerated only for loopback hosts (local development and tests). */
  readonly allowInsecureHttp: boolean;
}

export interface OAuthConfigContext {
  publicUrl: string;
  dataDir: string;
  nodeEnv: string;
}

/**
 * Reads the OAuth settings. Every problem is pushed onto `problems` (the caller throws once with
 * all of them); the returned value is only meaningful when no problem was added.
 */
export function readOAuthConfig(env: Env, problems: ConfigProblem[], context: OAuthConfigContext): OAuthConfig {
  const production = context.nodeEnv === 'production';
  const publicUrl = context.publicUrl.replace(/\/+$/, '');
  const issuerText = nonEmpty(env['OAUTH_ISSUER']);
  const mode = issuerText === undefined ? 'embedded' : 'external';
  if (mode === 'embedded' && production) {
    problems.push({
      key: 'OAUTH_ISSUER',
      message: 'required when NODE_ENV=production: the embedded authorization server is for development only',
    });
  }
  const issuer = issuerText ?? `${publicUrl}${EMBEDDED_ISSUER_PATH}`;
  const allowInsecureHttp = checkIssuer(issuer, issuerText === undefined ? 'ELEVATE_PUBLIC_URL' : 'OAUTH_ISSUER', mode, problems);

  const clientIdText = nonEmpty(env['OAUTH_CLIENT_ID']);
  if (mode === 'external' && clientIdText === undefined) {
    problems.push({ key: 'OAUTH_CLIENT_ID', message: 'required with OAUTH_ISSUER: the client id registered for Elevate at your authorization server' });
  }

  return Object.freeze({
    mode,
    issuer,
    clientId: clientIdText ?? DEFAULT_EMBEDDED_CLIENT_ID,
    clientAuth: readClientAuth(env, problems),
    signingKeys: readSigningKeys(env, problems, context, production),
    assertionIssuer: publicUrl,
    jwksUrl: `${publicUrl}/.well-known/jwks.json`,
    timeoutMs: readTimeout(env, problems),
    subjectTokenType: readSubjectTokenType(env, problems, mode),
    audienceParameter: readAudienceParameter(env, problems),
    allowInsecureHttp,
  });
}

/** Returns whether plain http is acceptable for this issuer (loopback only). */
function checkIssuer(issuer: string, key: string, mode: 'external' | 'embedded', problems: ConfigProblem[]): boolean {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    problems.push({ key, message: 'expected an absolute https URL such as https://login.example.com/realms/main' });
    return false;
  }
  if (url.search !== '' || url.hash !== '') {
    problems.push({ key, message: 'an issuer identifier has no query or fragment' });
  }
  if (url.protocol === 'https:') return false;
  if (url.protocol !== 'http:') {
    problems.push({ key, message: 'expected an https URL' });
    return false;
  }
  if (mode === 'embedded' || isLoopbackHost(url.hostname)) return true;
  problems.push({ key, message: 'expected https: plain http is allowed only for localhost / loopback addresses' });
  return false;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function readClientAuth(env: Env, problems: ConfigProblem[]): ClientAuthConfig {
  const secret = readSecret(env, 'OAUTH_CLIENT_SECRET', problems);
  const keyFile = nonEmpty(env['OAUTH_PRIVATE_KEY_FILE']);
  if (secret !== undefined && keyFile !== undefined) {
    problems.push({
      key: 'OAUTH_PRIVATE_KEY_FILE',
      message: 'set either OAUTH_CLIENT_SECRET (client_secret_basic) or OAUTH_PRIVATE_KEY_FILE (private_key_jwt), not both',
    });
  }
  if (secret !== undefined) {
    const auth = { method: 'client_secret_basic' as const } as { method: 'client_secret_basic'; secret: string };
    Object.defineProperty(auth, 'secret', { value: secret, enumerable: false });
    return Object.freeze(auth);
  }
  if (keyFile !== undefined) {
    const problem = checkKeyFile(keyFile, parseClientKeyText);
    if (problem) problems.push({ key: 'OAUTH_PRIVATE_KEY_FILE', message: problem });
  }
  return Object.freeze({ method: 'private_key_jwt', keyFile: keyFile ?? null });
}

function readSigningKeys(env: Env, problems: ConfigProblem[], context: OAuthConfigContext, production: boolean): SigningKeysConfig {
  const file = nonEmpty(env['ELEVATE_SIGNING_KEYS_FILE']);
  if (file !== undefined) {
    const problem = checkKeyFile(file, parseSigningKeysText);
    if (problem) problems.push({ key: 'ELEVATE_SIGNING_KEYS_FILE', message: problem });
    return Object.freeze({ source: 'file', file });
  }
  if (production) {
    problems.push({
      key: 'ELEVATE_SIGNING_KEYS_FILE',
      message: 'required when NODE_ENV=production: a JWKS file of private signing keys shared by every instance (a generated key is development only)',
    });
  }
  const dataDir = isAbsolute(context.dataDir) ? context.dataDir : resolve(context.dataDir);
  return Object.freeze({ source: 'generated', file: join(dataDir, DEV_SIGNING_KEYS_FILENAME) });
}

/** Reads and parses a key file now, so a bad file is reported with every other problem at start-up. */
function checkKeyFile(file: string, parse: (text: string) => unknown): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`;
  }
  try {
    parse(text);
    return null;
  } catch (error) {
    return `${file}: ${(error as Error).message}`;
  }
}

function readTimeout(env: Env, problems: ConfigProblem[]): number {
  const text = nonEmpty(env['OAUTH_TIMEOUT_MS']);
  if (text === undefined) return DEFAULT_OAUTH_TIMEOUT_MS;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 100 || value > 300_000) {
    problems.push({ key: 'OAUTH_TIMEOUT_MS', message: 'expected a whole number of milliseconds between 100 and 300000' });
    return DEFAULT_OAUTH_TIMEOUT_MS;
  }
  return value;
}

function readSubjectTokenType(env: Env, problems: ConfigProblem[], mode: 'external' | 'embedded'): string {
  const text = nonEmpty(env['OAUTH_SUBJECT_TOKEN_TYPE']);
  if (text === undefined) return DEFAULT_SUBJECT_TOKEN_TYPE;
  if (mode === 'embedded' && text !== DEFAULT_SUBJECT_TOKEN_TYPE) {
    problems.push({ key: 'OAUTH_SUBJECT_TOKEN_TYPE', message: `the embedded authorization server accepts only ${DEFAULT_SUBJECT_TOKEN_TYPE}; set it only with OAUTH_ISSUER` });
    return DEFAULT_SUBJECT_TOKEN_TYPE;
  }
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(text)) {
    problems.push({ key: 'OAUTH_SUBJECT_TOKEN_TYPE', message: 'expected an absolute URI such as urn:example:elevate-assertion' });
    return DEFAULT_SUBJECT_TOKEN_TYPE;
  }
  return text;
}

function readAudienceParameter(env: Env, problems: ConfigProblem[]): AudienceParameter {
  const text = nonEmpty(env['OAUTH_AUDIENCE_PARAMETER']);
  if (text === undefined) return 'audience';
  const match = AUDIENCE_PARAMETERS.find((candidate) => candidate === text);
  if (match) return match;
  problems.push({ key: 'OAUTH_AUDIENCE_PARAMETER', message: `expected one of ${AUDIENCE_PARAMETERS.join(', ')}` });
  return 'audience';
}
