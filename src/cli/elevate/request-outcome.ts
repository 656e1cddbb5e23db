import type { ApiRequest } from './api-types.ts';
import { EXIT, type ExitCode } from './exit-codes.ts';

/**
 * Whether waiting on a request is over: it was decided, and when approved its grant is past
 * `issuing` (active, failed, or already ended). A request waiting for its requester's
 * verification (`verifying`) is not over: the token comes after it.
 */
export function isSettled(request: ApiRequest): boolean {
  switch (request.status) {
    case 'pending':
    case 'verifying':
      return false;
    case 'approved':
    case 'auto_approved':
      return request.grant !== null && request.grant.status !== 'issuing';
    default:
      return true;
  }
}

/** The exit code a request's current state stands for (a pending, verifying or issuing request is 0: nothing went wrong yet). */
export function exitCodeForRequest(request: ApiRequest): ExitCode {
  switch (request.status) {
    case 'denied':
    case 'auto_denied':
      return EXIT.denied;
    case 'expired':
      return EXIT.expired;
    case 'cancelled':
      return EXIT.cancelled;
    case 'pending':
    case 'verifying':
      return EXIT.ok;
    case 'approved':
    case 'auto_approved':
      if (request.grant?.status === 'issue_failed') return EXIT.failed;
      if (request.grant?.status === 'revoking' || request.grant?.status === 'revoked') return EXIT.expired;
      return EXIT.ok;
  }
}

/** True when the request has an active grant whose token can be fetched. */
export function isGranted(request: ApiRequest): boolean {
  return (request.status === 'approved' || request.status === 'auto_approved') && request.grant?.status === 'active';
}
