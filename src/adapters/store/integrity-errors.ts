import { ElevateError } from '../../domain/errors.ts';

/**
 * The errors every store raises when a write breaks the schema's integrity rules, so callers see
 * the same codes from the in-memory store as from PostgreSQL.
 */
export function duplicateError(what: string, cause?: unknown): ElevateError {
  return new ElevateError('conflict', `${what} already exists.`, { cause, details: { what } });
}

export function missingReferenceError(what: string, cause?: unknown): ElevateError {
  return new ElevateError('not_found', `${what} does not exist.`, { cause, details: { what } });
}
