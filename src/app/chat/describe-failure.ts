import { isElevateError } from '../../domain/errors.ts';

/**
 * The one place errors become text for a person in chat: what to fix for their mistakes, a
 * plain "try again" for infrastructure trouble, and never a cause, a stack or a secret.
 */
export function describeFailureForPerson(error: unknown): string {
  if (!isElevateError(error)) return 'Something went wrong on our side. Nothing was changed; please try again, and tell an admin if it keeps happening.';
  switch (error.code) {
    case 'store_unavailable':
      return 'Elevate cannot reach its database right now. Nothing was changed; please try again in a minute.';
    case 'issuer_unavailable':
      return 'The authorization server is not answering right now; please try again in a minute.';
    case 'grant_inactive':
    case 'not_approved':
      // The message names the state the grant or request is in, which is what the person needs.
      return error.message;
    case 'issuer_rejected':
      // Written by the OAuth adapter from fixed sentences and the AS's `error` code only (never its
      // free-text description), so the requester learns what the AS objected to.
      return error.message;
    case 'config_invalid':
    case 'crypto_failed':
    case 'internal':
      return 'Something went wrong on our side. Nothing was changed; please try again, and tell an admin if it keeps happening.';
    default:
      return error.message;
  }
}
