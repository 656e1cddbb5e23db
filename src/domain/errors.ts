/**
 * The one error type of Elevate. Every failure the core or an adapter reports carries a `code`
 * from the closed list below; chat text and HTTP statuses are derived from the code in one place
 * each (`src/http/error-status.ts`, and the chat adapters' message catalogues), so users see what
 * to fix while logs keep the `cause`.
 */
export const ERROR_CODES = [
  // Input from a person or a script.
  'invalid_input',
  'unknown_scope',
  'duration_invalid',
  'duration_too_long',
  'reason_required',
  'reason_mismatch',
  'not_allowed_to_request',
  'unknown_identity',
  'no_reviewer_channel',
  // Callers of the HTTP API.
  'unauthenticated',
  'rate_limited',
  'payload_too_large',
  'unsupported_media_type',
  'idempotency_key_reused',
  'method_not_allowed',
  // Review decisions.
  'not_an_approver',
  'self_approval',
  'already_reviewed',
  'already_decided',
  'request_expired',
  // Multi-factor step-up.
  /** The scope asks for a fresher or stronger sign-in than the caller has (RFC 9470). */
  'step_up_required',
  /** A step-up link or sign-in was refused: used, expired, another person, not accepted. */
  'step_up_refused',
  /** The scope needs requester MFA and the requester (a service account) cannot give it. */
  'step_up_unavailable',
  // Grants.
  /** The grant has ended, failed or is not issued yet, so it has no token to show. */
  'grant_inactive',
  /** The scope does not allow extending its grants (`extend.allowed: false`). */
  'extension_not_allowed',
  /** An extension of this grant is already waiting for a decision. */
  'extension_pending',
  /** The scope does not allow break-glass (`break_glass.allowed` is not set). */
  'break_glass_not_allowed',
  /** Only an approved request gets a grant; this one is pending, denied, expired or cancelled. */
  'not_approved',
  'not_found',
  'forbidden',
  // Policy.
  'policy_denied',
  // Infrastructure.
  'config_invalid',
  'store_unavailable',
  'conflict',
  'issuer_unavailable',
  'issuer_rejected',
  'crypto_failed',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ElevateErrorOptions {
  cause?: unknown;
  /** Structured, non-secret facts for logs and for building user text. */
  details?: Record<string, unknown>;
  /** True when trying the same operation again later may succeed (network, 5xx, 429, lock). */
  retryable?: boolean;
}

export class ElevateError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: ElevateErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ElevateError';
    this.code = code;
    this.details = Object.freeze({ ...(options.details ?? {}) });
    this.retryable = options.retryable ?? false;
  }
}

export function isElevateError(value: unknown, code?: ErrorCode): value is ElevateError {
  return value instanceof ElevateError && (code === undefined || value.code === code);
}
