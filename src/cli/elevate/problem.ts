import { CliError } from './cli-error.ts';
import { EXIT, type ExitCode } from './exit-codes.ts';
import { safeText } from './safe-text.ts';

/** An RFC 9457 problem document as the Elevate API writes it. */
export interface Problem {
  status: number;
  /** The domain's error code (`self_approval`, `duration_too_long`, …), or `http_<status>`. */
  code: string;
  title: string;
  detail: string;
  errors: { field: string; message: string }[];
}

/**
 * Reads an error answer: a problem document when the server sent one, otherwise whatever can
 * be said from the status (a proxy's HTML page, an empty body).
 */
export function parseProblem(status: number, contentType: string | null, body: string): Problem {
  const fallback: Problem = { status, code: `http_${status}`, title: `HTTP ${status}`, detail: '', errors: [] };
  if (!/^application\/(problem\+)?json\b/i.test(contentType ?? '')) return fallback;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return fallback;
  }
  if (typeof json !== 'object' || json === null) return fallback;
  const doc = json as Record<string, unknown>;
  const typeCode = typeof doc.type === 'string' ? /^urn:elevate:problem:([a-z_]+)$/.exec(doc.type)?.[1] : undefined;
  const errors = Array.isArray(doc.errors)
    ? doc.errors
        .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
        .map((e) => ({ field: safeText(e.field, 100), message: safeText(e.message, 300) }))
    : [];
  return {
    status,
    code: typeof doc.code === 'string' ? safeText(doc.code, 64) : (typeCode ?? fallback.code),
    title: typeof doc.title === 'string' ? safeText(doc.title, 200) : fallback.title,
    detail: typeof doc.detail === 'string' ? safeText(doc.detail) : '',
    errors,
  };
}

/** The problem as the sentence (and field list) printed after `error (<code>):`. */
export function describeProblem(problem: Problem): string {
  const head = problem.detail || problem.title;
  const fields = problem.errors.map((e) => `\n  ${e.field}: ${e.message}`).join('');
  return `${head}${fields}`;
}

/**
 * 401 is always an authentication failure; a grant that has already ended is `expired` (its token
 * is gone, as a script waiting on it needs to know); a scope that refuses the caller because it
 * needs a multi-factor verification a service account cannot give (`step_up_unavailable`) is a
 * denial by policy; anything else the server says no to is a refusal.
 */
export function exitCodeForProblem(problem: Problem): ExitCode {
  if (problem.status === 401) return EXIT.auth;
  if (problem.code === 'step_up_unavailable') return EXIT.denied;
  return problem.code === 'grant_inactive' ? EXIT.expired : EXIT.failed;
}

/** The error a command fails with when the API answers with a problem. */
export class ApiProblemError extends CliError {
  readonly problem: Problem;

  constructor(problem: Problem, hint = '') {
    super(exitCodeForProblem(problem), `error (${problem.code}): ${describeProblem(problem)}${hint}`);
    this.name = 'ApiProblemError';
    this.problem = problem;
  }
}
