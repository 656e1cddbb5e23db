import { nonEmpty, type ConfigProblem, type Env } from './problems.ts';

/** Every environment variable the HTTP API reads, for the README table. */
export const API_ENV_VARS = [
  {
    name: 'ELEVATE_API_AUDIENCE',
    default: '$ELEVATE_PUBLIC_URL/api',
    meaning: 'The API identifier: bearer tokens for /api/v1 must carry it in `aud` (the resource a client asks its AS for).',
  },
  {
    name: 'ELEVATE_API_TOKEN_VALIDATION',
    default: 'auto',
    meaning: 'How bearer tokens are checked: jwt (RFC 9068, against the AS keys), introspection (RFC 7662), or auto (JWTs as jwt, others by introspection).',
  },
  {
    name: 'ELEVATE_API_ALGORITHMS',
    default: 'RS256,PS256,ES256,EdDSA (and their 384/512 forms)',
    meaning: 'Comma-separated JWS algorithms accepted on JWT access tokens; asymmetric only.',
  },
  {
    name: 'ELEVATE_API_JWT_TYPES',
    default: 'at+jwt',
    meaning: 'Comma-separated `typ` header values accepted on JWT access tokens (RFC 9068 says at+jwt; add JWT for an AS such as Entra ID that sends it).',
  },
  {
    name: 'ELEVATE_API_CLIENT_CLAIM',
    default: 'client_id',
    meaning: 'Claim that names the OAuth client of a token; a token whose `sub` is no principal maps to the `kind: service` principal of that id (e.g. `azp` or `appid` for Entra ID).',
  },
  {
    name: 'ELEVATE_API_RATE_LIMIT',
    default: '60',
    meaning: 'API calls each principal may make per minute (1–10000); more are answered 429 with Retry-After.',
  },
  {
    name: 'ELEVATE_CLI_CLIENT_ID',
    default: '(`elevate-cli` for the embedded AS; unset otherwise)',
    meaning: 'Public OAuth client the `elevate` CLI signs in with (device authorization grant), advertised at /.well-known/oauth-protected-resource.',
  },
  {
    name: 'ELEVATE_CLI_SCOPE',
    default: 'openid offline_access',
    meaning: 'Scope the CLI asks for when it signs a person in.',
  },
] as const;

/** The asymmetric JWS algorithms a JWT access token may use; HMAC and `none` never. */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;
const DEFAULT_ALGORITHMS = ASYMMETRIC_ALGORITHMS;

export type TokenValidation = 'auto' | 'jwt' | 'introspection';
const TOKEN_VALIDATIONS: readonly TokenValidation[] = ['auto', 'jwt', 'introspection'];

export interface ApiConfig {
  readonly audience: string;
  readonly tokenValidation: TokenValidation;
  readonly algorithms: readonly string[];
  /** Normalised: lower case, without `application/`. */
  readonly jwtTypes: readonly string[];
  readonly clientClaim: string;
  readonly rateLimitPerMinute: number;
  /** Null when no public client for the CLI is configured (external AS without ELEVATE_CLI_CLIENT_ID). */
  readonly cliClientId: string | null;
  readonly cliScope: string;
}

export const EMBEDDED_CLI_CLIENT_ID = 'elevate-cli';

/** Reads the API's settings; problems are pushed, never thrown one by one. */
export function readApiConfig(env: Env, problems: ConfigProblem[], context: { publicUrl: string; embeddedAs: boolean }): ApiConfig {
  const audience = nonEmpty(env['ELEVATE_API_AUDIENCE']) ?? `${context.publicUrl.replace(/\/+$/, '')}/api`;

  const validationText = nonEmpty(env['ELEVATE_API_TOKEN_VALIDATION']) ?? 'auto';
  const tokenValidation = TOKEN_VALIDATIONS.find((value) => value === validationText) ?? 'auto';
  if (!TOKEN_VALIDATIONS.includes(validationText as TokenValidation)) {
    problems.push({ key: 'ELEVATE_API_TOKEN_VALIDATION', message: `expected one of ${TOKEN_VALIDATIONS.join(', ')}` });
  }

  const algorithmsText = nonEmpty(env['ELEVATE_API_ALGORITHMS']);
  const algorithms = algorithmsText === undefined ? [...DEFAULT_ALGORITHMS] : algorithmsText.split(',').map((alg) => alg.trim()).filter((alg) => alg !== '');
  const refused = algorithms.filter((alg) => !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg));
  if (refused.length > 0 || algorithms.length === 0) {
    problems.push({
      key: 'ELEVATE_API_ALGORITHMS',
      message: `expected asymmetric JWS algorithms from ${ASYMMETRIC_ALGORITHMS.join(', ')}${refused.length > 0 ? `; not accepted: ${refused.join(', ')}` : ''}`,
    });
  }

  const typesText = nonEmpty(env['ELEVATE_API_JWT_TYPES']) ?? 'at+jwt';
  const jwtTypes = typesText.split(',').map((typ) => typ.trim().toLowerCase().replace(/^application\//, '')).filter((typ) => typ !== '');
  if (jwtTypes.length === 0 || jwtTypes.some((typ) => !/^[a-z0-9.+-]{1,40}$/.test(typ))) {
    problems.push({ key: 'ELEVATE_API_JWT_TYPES', message: 'expected media types such as at+jwt or JWT, comma-separated' });
  }

  const clientClaim = nonEmpty(env['ELEVATE_API_CLIENT_CLAIM']) ?? 'client_id';
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(clientClaim)) problems.push({ key: 'ELEVATE_API_CLIENT_CLAIM', message: 'expected a claim name such as client_id, azp or appid' });

  const rateText = nonEmpty(env['ELEVATE_API_RATE_LIMIT']) ?? '60';
  const rateLimitPerMinute = Number(rateText);
  if (!Number.isInteger(rateLimitPerMinute) || rateLimitPerMinute < 1 || rateLimitPerMinute > 10_000) {
    problems.push({ key: 'ELEVATE_API_RATE_LIMIT', message: 'expected a whole number of calls per minute, 1–10000' });
  }

  return Object.freeze({
    audience,
    tokenValidation,
    algorithms: Object.freeze(algorithms),
    jwtTypes: Object.freeze(jwtTypes),
    clientClaim,
    rateLimitPerMinute: Number.isInteger(rateLimitPerMinute) ? rateLimitPerMinute : 60,
    cliClientId: nonEmpty(env['ELEVATE_CLI_CLIENT_ID']) ?? (context.embeddedAs ? EMBEDDED_CLI_CLIENT_ID : null),
    cliScope: nonEmpty(env['ELEVATE_CLI_SCOPE']) ?? 'openid offline_access',
  });
}
