import { formatDuration } from '../../domain/duration.ts';
import { isElevateError } from '../../domain/errors.ts';

export type RequestFormField = 'scope' | 'duration' | 'reason';

export interface RequestFormProblem {
  field: RequestFormField;
  /** Short enough to stand next to the field. */
  text: string;
}

/**
 * Which field of a request form a refused request is about, with what to fix, or null when the
 * person cannot fix it in the form (no reviewer channel, an unlinked account, the database down):
 * those are answered as the outcome instead. The same for the Slack modal and the Teams card.
 */
export function requestFormProblem(error: unknown): RequestFormProblem | null {
  if (!isElevateError(error)) return null;
  switch (error.code) {
    case 'unknown_scope':
      return { field: 'scope', text: 'Choose a scope.' };
    case 'not_allowed_to_request':
      return { field: 'scope', text: error.message };
    case 'duration_invalid':
      return { field: 'duration', text: error.message };
    case 'duration_too_long': {
      const { scope, maxSec } = error.details as { scope?: string; maxSec?: number };
      return { field: 'duration', text: scope && maxSec ? `${scope} allows at most ${formatDuration(maxSec)}.` : error.message };
    }
    case 'reason_required':
      return { field: 'reason', text: 'Say why you need this access.' };
    case 'reason_mismatch':
    case 'invalid_input':
      return { field: 'reason', text: error.message };
    default:
      return null;
  }
}
