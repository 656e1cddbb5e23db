import { ElevateError } from '../../domain/errors.ts';
import { scrubErrorDescription } from './scrub-error-description.ts';

export type OAuthOperation = 'discovery' | 'exchange' | 'revocation' | 'introspection' | 'sign_in';

/**
 * Why a call to the AS failed, from the client's side.
 * Retryable: `network`, `timeout`, `server_error` (5xx), `rate_limited` (429), `malformed_response`
 * (not JSON, unparsable). Final: `error_response` (an OAuth `error` such as invalid_grant),
 * `unexpected_status` (e.g. a 404 page), `invalid_response` (valid JSON that breaks the protocol,
 * such as a token response without `access_token`), `unsupported` (e.g. a missing endpoint).
 */
export type OAuthFailureReason =
  | 'network'
  | 'timeout'
  | 'server_error'
  | 'rate_limited'
  | 'malformed_response'
  | 'error_response'
  | 'unexpected_status'
  | 'invalid_response'
  | 'unsupported';

const RETRYABLE_REASONS: ReadonlySet<OAuthFailureReason> = new Set(['network', 'timeout', 'server_error', 'rate_limited', 'malformed_response']);

/** OAuth `error` codes that say "later" rather than "no" (RFC 6749 §4.1.2.1, RFC 8628 §3.5). */
const RETRYABLE_OAUTH_ERRORS: ReadonlySet<string> = new Set(['temporarily_unavailable', 'server_error', 'slow_down']);

export interface OAuthErrorInit {
  operation: OAuthOperation;
  reason: OAuthFailureReason;
  oauthError?: string | null;
  oauthErrorDescription?: string | null;
  httpStatus?: number | null;
  /** Seconds from a `Retry-After` header, when the AS sent one. */
  retryAfterSec?: number | null;
  /** A sanitised description of the underlying failure: never a response body or a token. */
  cause?: Error;
}

/**
 * A failed call to the authorization server. `code` is `issuer_unavailable` (retryable) or
 * `issuer_rejected` (final); the AS's own `error`, `error_description` and HTTP status are kept as
 * typed fields for logs and audit, while `message` is a plain explanation safe to show to a
 * requester or an approver: it never contains a token, a secret or the raw response.
 */
export class OAuthError extends ElevateError {
  readonly operation: OAuthOperation;
  readonly reason: OAuthFailureReason;
  readonly oauthError: string | null;
  readonly oauthErrorDescription: string | null;
  readonly httpStatus: number | null;
  readonly retryAfterSec: number | null;

  constructor(init: OAuthErrorInit) {
    const oauthError = init.oauthError ?? null;
    const retryable = isRetryableFailure(init.reason, oauthError);
    const httpStatus = init.httpStatus ?? null;
    // Scrubbed here, once, because every log line and audit record of the failure comes from here.
    const description = scrubErrorDescription(init.oauthErrorDescription);
    super(retryable ? 'issuer_unavailable' : 'issuer_rejected', plainExplanation(init.operation, init.reason, oauthError, httpStatus), {
      cause: init.cause,
      retryable,
      details: {
        operation: init.operation,
        reason: init.reason,
        oauth_error: oauthError,
        oauth_error_description: description,
        http_status: httpStatus,
        retry_after_sec: init.retryAfterSec ?? null,
      },
    });
    this.name = 'OAuthError';
    this.operation = init.operation;
    this.reason = init.reason;
    this.oauthError = oauthError;
    this.oauthErrorDescription = description;
    this.httpStatus = httpStatus;
    this.retryAfterSec = init.retryAfterSec ?? null;
  }
}

export function isRetryableFailure(reason: OAuthFailureReason, oauthError: string | null): boolean {
  if (reason === 'error_response') return oauthError !== null && RETRYABLE_OAUTH_ERRORS.has(oauthError);
  return RETRYABLE_REASONS.has(reason);
}

const WHAT_FAILED: Readonly<Record<OAuthOperation, string>> = {
  discovery: "Could not read the authorization server's metadata",
  exchange: 'Could not obtain the access token',
  revocation: 'Could not revoke the access token',
  introspection: 'Could not check the access token',
  sign_in: 'Could not complete the sign-in',
};

/**
 * The user-facing sentence. It is built only from fixed text, the operation, an HTTP status and
 * an OAuth error code that matches RFC 6749's syntax, so nothing the AS sends verbatim (such as
 * `error_description`) can carry a secret into a chat message.
 */
export function plainExplanation(operation: OAuthOperation, reason: OAuthFailureReason, oauthError: string | null, httpStatus: number | null): string {
  return `${WHAT_FAILED[operation]}: ${why(reason, safeCode(oauthError), httpStatus)}`;
}

function why(reason: OAuthFailureReason, code: string | null, httpStatus: number | null): string {
  switch (reason) {
    case 'network':
      return 'the authorization server could not be reached. This is usually temporary.';
    case 'timeout':
      return 'the authorization server did not answer in time. This is usually temporary.';
    case 'server_error':
      return `the authorization server had an internal problem${httpStatus ? ` (HTTP ${httpStatus})` : ''}. This is usually temporary.`;
    case 'rate_limited':
      return 'the authorization server is limiting how often Elevate may call it. Elevate can try again shortly.';
    case 'malformed_response':
      return 'the authorization server sent a response Elevate could not read. This is usually temporary.';
    case 'unexpected_status':
      return `the authorization server answered with HTTP ${httpStatus ?? 'error'}. An admin should check the OAuth settings.`;
    case 'invalid_response':
      return 'the authorization server answered without a usable token. An admin should check its token exchange setup.';
    case 'unsupported':
      return 'the authorization server does not offer what Elevate needs. An admin should check the OAuth settings.';
    case 'error_response':
      return refusal(code);
  }
}

function refusal(code: string | null): string {
  switch (code) {
    case 'invalid_scope':
      return 'the authorization server does not allow this scope for Elevate (invalid_scope). An admin should check the scope definition and the scopes allowed to the Elevate client.';
    case 'invalid_target':
      return "the authorization server does not accept this scope's audience (invalid_target). An admin should check the scope definition.";
    case 'invalid_client':
      return "the authorization server did not accept Elevate's client credentials (invalid_client). An admin should check the OAuth client registration.";
    case 'unauthorized_client':
      return 'the authorization server does not allow Elevate to use token exchange (unauthorized_client). An admin should check the OAuth client registration.';
    case 'unsupported_grant_type':
      return 'the authorization server does not support token exchange (unsupported_grant_type).';
    case 'unsupported_token_type':
      return 'the authorization server does not accept this kind of token here (unsupported_token_type).';
    case 'access_denied':
      return 'the authorization server denied the request (access_denied).';
    case 'temporarily_unavailable':
    case 'server_error':
    case 'slow_down':
      return `the authorization server is temporarily unable to help (${code}). This is usually temporary.`;
    case null:
      return 'the authorization server refused the request.';
    default:
      return `the authorization server refused the request (${code}). An admin should check the token exchange setup.`;
  }
}

/** Only codes in RFC 6749's `error` syntax, kept short, reach a sentence. */
function safeCode(code: string | null): string | null {
  return code !== null && /^[a-z0-9_.:-]{1,64}$/i.test(code) ? code : null;
}
