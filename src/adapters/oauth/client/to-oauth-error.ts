import { ClientError, ResponseBodyError, WWWAuthenticateChallengeError } from 'openid-client';
import { OAuthError, type OAuthFailureReason, type OAuthOperation } from '../oauth-error.ts';

/**
 * Turns whatever a call through openid-client threw into a typed `OAuthError`. The library's
 * error is not kept as `cause` (its `cause` may hold the parsed response body, tokens included);
 * a sanitised stand-in with the library's fixed message and code is kept instead.
 */
export async function toOAuthError(error: unknown, operation: OAuthOperation): Promise<OAuthError> {
  if (error instanceof OAuthError) return error;
  if (error instanceof ResponseBodyError) {
    return new OAuthError({
      operation,
      reason: reasonForStatus(error.status, 'error_response'),
      oauthError: error.error,
      oauthErrorDescription: error.error_description ?? null,
      httpStatus: error.status,
      retryAfterSec: retryAfter(error.response?.headers.get('retry-after')),
      cause: sanitised(error),
    });
  }
  if (error instanceof WWWAuthenticateChallengeError) {
    const parameters = error.cause[0]?.parameters;
    return new OAuthError({
      operation,
      reason: reasonForStatus(error.status, 'error_response'),
      oauthError: parameters?.error ?? null,
      oauthErrorDescription: parameters?.error_description ?? null,
      httpStatus: error.status,
      retryAfterSec: retryAfter(error.response?.headers.get('retry-after')),
      cause: sanitised(error),
    });
  }
  if (error instanceof ClientError) return fromClientError(error, operation);
  if (error instanceof TypeError) {
    // undici's `fetch failed`: refused, reset, DNS, TLS. The cause's code says which.
    return new OAuthError({ operation, reason: 'network', cause: sanitised(error, networkCode(error)) });
  }
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new OAuthError({ operation, reason: 'timeout', cause: sanitised(error) });
  }
  return new OAuthError({ operation, reason: 'unsupported', cause: sanitised(error) });
}

async function fromClientError(error: ClientError, operation: OAuthOperation): Promise<OAuthError> {
  const response = error.cause instanceof Response ? error.cause : null;
  switch (error.code) {
    case 'OAUTH_TIMEOUT':
    case 'OAUTH_ABORT':
      return new OAuthError({ operation, reason: 'timeout', cause: sanitised(error) });
    case 'OAUTH_RESPONSE_IS_NOT_CONFORM':
    case 'OAUTH_RESPONSE_IS_NOT_JSON': {
      // The cause is the Response: a status or content type the protocol does not expect.
      const status = response?.status ?? null;
      const ok = status === null || (status >= 200 && status < 300);
      const body = response && !ok ? await oauthErrorBody(response) : null;
      return new OAuthError({
        operation,
        reason: ok ? 'malformed_response' : reasonForStatus(status, body ? 'error_response' : 'unexpected_status'),
        oauthError: body?.error ?? null,
        oauthErrorDescription: body?.error_description ?? null,
        httpStatus: status,
        retryAfterSec: retryAfter(response?.headers.get('retry-after')),
        cause: sanitised(error),
      });
    }
    case 'OAUTH_PARSE_ERROR':
      return new OAuthError({ operation, reason: 'malformed_response', cause: sanitised(error) });
    case 'OAUTH_INVALID_RESPONSE':
    case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED':
      return new OAuthError({ operation, reason: 'invalid_response', cause: sanitised(error) });
    default:
      return new OAuthError({ operation, reason: 'unsupported', cause: sanitised(error) });
  }
}

/**
 * An answer other than the one the protocol expects, judged as the openid-client path judges it:
 * a 2xx of the wrong kind is malformed (retryable), 429 and 5xx are temporary, and otherwise the
 * AS's OAuth `error` (from a JSON body or a `WWW-Authenticate` challenge) says why it refused.
 */
export function oauthErrorFromAnswer(operation: OAuthOperation, answer: { status: number; headers: Readonly<Record<string, string>>; body: Buffer }): OAuthError {
  const { status, headers } = answer;
  const refusal = errorFromJsonBody(headers['content-type'], answer.body) ?? errorFromChallenge(headers['www-authenticate']);
  const ok = status >= 200 && status < 300;
  return new OAuthError({
    operation,
    reason: ok ? 'malformed_response' : reasonForStatus(status, refusal ? 'error_response' : 'unexpected_status'),
    oauthError: refusal?.error ?? null,
    oauthErrorDescription: refusal?.error_description ?? null,
    httpStatus: status,
    retryAfterSec: retryAfter(headers['retry-after']),
    cause: new Error(`HTTP ${status} from the ${operation} endpoint`),
  });
}

type OAuthErrorBody = { error: string; error_description: string | null };

function errorFromJsonBody(contentType: string | undefined, body: Buffer): OAuthErrorBody | null {
  if (!(contentType ?? '').includes('json')) return null;
  try {
    return oauthErrorMembers(JSON.parse(body.toString('utf8')));
  } catch {
    return null;
  }
}

/** `WWW-Authenticate: Bearer error="invalid_token", error_description="…"` (RFC 6750 §3). */
function errorFromChallenge(challenge: string | undefined): OAuthErrorBody | null {
  const error = challenge && /\berror="([^"]*)"/.exec(challenge)?.[1];
  if (!error) return null;
  return { error, error_description: /\berror_description="([^"]*)"/.exec(challenge)?.[1] ?? null };
}

function oauthErrorMembers(body: unknown): OAuthErrorBody | null {
  const { error, error_description } = (body ?? {}) as { error?: unknown; error_description?: unknown };
  if (typeof error !== 'string' || error === '') return null;
  return { error, error_description: typeof error_description === 'string' ? error_description : null };
}

/**
 * oauth4webapi reads OAuth error bodies of 4xx responses only; a 5xx may carry one too
 * (`temporarily_unavailable`). Only the two registered string members are taken from it.
 */
async function oauthErrorBody(response: Response): Promise<OAuthErrorBody | null> {
  if (response.bodyUsed || !(response.headers.get('content-type') ?? '').includes('json')) return null;
  try {
    return oauthErrorMembers(await response.clone().json());
  } catch {
    return null;
  }
}

function reasonForStatus(status: number, otherwise: OAuthFailureReason): OAuthFailureReason {
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  if (status === 408) return 'timeout';
  return otherwise;
}

/** `Retry-After` as delta-seconds or an HTTP date, in whole seconds from now. */
function retryAfter(value: string | null | undefined): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function networkCode(error: TypeError): string | undefined {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/**
 * Keeps the class name, the library's own message (fixed text, with a lowercase `code`) and a
 * network error code. Nothing from the response body survives.
 */
function sanitised(error: unknown, extraCode?: string): Error {
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : 'non-error value thrown';
  const code = (error as { code?: unknown } | null)?.code;
  const stand_in = new Error(`${name}: ${message}`);
  stand_in.name = 'OAuthClientFailure';
  Object.assign(stand_in, { code: typeof code === 'string' ? code : extraCode, network_code: extraCode });
  return stand_in;
}
