import type { ServerResponse } from 'node:http';
import { isElevateError, type ErrorCode } from '../../domain/errors.ts';
import { httpStatusOf, isShowableStatus } from '../../http/error-status.ts';

/** One invalid field of a request: its path (`reason`, `query.wait`) and what is expected. */
export interface FieldProblem {
  field: string;
  message: string;
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: FieldProblem[];
}

/** The stable problem type of each error code (RFC 9457 §3.1.1: a URI that is an identifier, not a page). */
export function problemType(code: ErrorCode): string {
  return `urn:elevate:problem:${code}`;
}

/**
 * An RFC 9457 problem document for any thrown value: the code, its status (from the one mapping
 * in src/http/error-status.ts) and the user-facing message of an `ElevateError`; nothing at all
 * of any other error, whose cause is for the log.
 */
export function toProblem(error: unknown): ProblemDocument {
  const code: ErrorCode = isElevateError(error) ? error.code : 'internal';
  const detail = isElevateError(error) && isShowableStatus(code) ? error.message : 'Internal error.';
  const problem: ProblemDocument = { type: problemType(code), title: titleOf(code), status: httpStatusOf(code), detail, code };
  const fields = isElevateError(error) ? error.details['fields'] : undefined;
  if (Array.isArray(fields)) problem.errors = fields as FieldProblem[];
  return problem;
}

export function sendProblem(res: ServerResponse, problem: ProblemDocument, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(problem);
  res.writeHead(problem.status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(body);
}

function titleOf(code: ErrorCode): string {
  const words = code.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
