import { isElevateError, type ErrorCode } from '../domain/errors.ts';

/** The one place error codes become HTTP statuses. */
const STATUS_BY_CODE: Record<ErrorCode, number> = {
  invalid_input: 400,
  unknown_scope: 400,
  duration_invalid: 400,
  duration_too_long: 400,
  reason_required: 400,
  reason_mismatch: 400,
  not_allowed_to_request: 403,
  unknown_identity: 403,
  no_reviewer_channel: 409,
  unauthenticated: 401,
  rate_limited: 429,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  method_not_allowed: 405,
  not_an_approver: 403,
  self_approval: 403,
  already_reviewed: 409,
  already_decided: 409,
  request_expired: 409,
  step_up_required: 401,
  step_up_refused: 403,
  step_up_unavailable: 403,
  grant_inactive: 409,
  extension_not_allowed: 403,
  extension_pending: 409,
  break_glass_not_allowed: 403,
  not_approved: 409,
  not_found: 404,
  forbidden: 403,
  policy_denied: 403,
  config_invalid: 500,
  store_unavailable: 503,
  conflict: 409,
  issuer_unavailable: 503,
  issuer_rejected: 502,
  crypto_failed: 500,
  internal: 500,
};

/** The HTTP status of an error code: the one mapping, used by every JSON answer and the API's problem documents. */
export function httpStatusOf(code: ErrorCode): number {
  return STATUS_BY_CODE[code];
}

/** Whether an error's own message may be shown: not for internal failures, whose message is for the log. */
export function isShowableStatus(code: ErrorCode): boolean {
  const status = STATUS_BY_CODE[code];
  return status < 500 || code === 'store_unavailable' || code === 'issuer_unavailable';
}

export interface ErrorResponse {
  status: number;
  body: { error: ErrorCode; message: string };
}

/**
 * Maps any thrown value to a status and a body safe to return: the code and the user-facing
 * message of an `ElevateError`, and nothing at all of anything else (its cause goes to the log).
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (isElevateError(error)) {
    const status = STATUS_BY_CODE[error.code];
    const message = isShowableStatus(error.code) ? error.message : 'Internal error.';
    return { status, body: { error: error.code, message } };
  }
  return { status: 500, body: { error: 'internal', message: 'Internal error.' } };
}
