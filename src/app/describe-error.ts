import { isElevateError } from '../domain/errors.ts';

/** The parts of an error that are safe to log: never a response body or a token. */
export function describeError(error: unknown): Record<string, unknown> {
  if (isElevateError(error)) return { code: error.code, message: error.message, retryable: error.retryable, details: error.details };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { value: String(error) };
}
