import { describe, expect, it } from 'vitest';
import { bearerError } from '../../../src/cli/elevate/api-client.ts';
import { EXIT } from '../../../src/cli/elevate/exit-codes.ts';
import { ApiProblemError, describeProblem, exitCodeForProblem, parseProblem } from '../../../src/cli/elevate/problem.ts';

const PROBLEM = 'application/problem+json';

describe('problem documents as the CLI reports them', () => {
  it('prints the detail with the domain code', () => {
    const problem = parseProblem(403, PROBLEM, JSON.stringify({ type: 'urn:elevate:problem:self_approval', title: 'Self-approval', status: 403, detail: 'You cannot approve your own request.', code: 'self_approval' }));
    expect(new ApiProblemError(problem).message).toBe('error (self_approval): You cannot approve your own request.');
    expect(new ApiProblemError(problem).exitCode).toBe(EXIT.failed);
  });

  it('lists the fields of an invalid-input problem under its detail', () => {
    const problem = parseProblem(400, PROBLEM, JSON.stringify({ type: 'urn:elevate:problem:invalid_input', title: 'Invalid input', status: 400, detail: 'The request is not valid.', code: 'invalid_input', errors: [{ field: 'reason', message: 'required' }, { field: 'colour', message: 'unknown field' }] }));
    expect(describeProblem(problem)).toBe('The request is not valid.\n  reason: required\n  colour: unknown field');
  });

  it('takes the code from the type when the document has no code member, and the title when it has no detail', () => {
    const problem = parseProblem(409, 'application/problem+json; charset=utf-8', JSON.stringify({ type: 'urn:elevate:problem:already_decided', title: 'Already decided', status: 409 }));
    expect(problem.code).toBe('already_decided');
    expect(describeProblem(problem)).toBe('Already decided');
  });

  it('says what it can when the answer is not a problem document (a proxy\'s page, an empty body)', () => {
    expect(new ApiProblemError(parseProblem(502, 'text/html', '<html>Bad gateway</html>')).message).toBe('error (http_502): HTTP 502');
    expect(parseProblem(500, PROBLEM, '{ truncated').code).toBe('http_500');
    expect(parseProblem(500, PROBLEM, '"a string"').code).toBe('http_500');
  });

  it('strips control characters from what the server says, so it cannot drive the terminal', () => {
    const problem = parseProblem(400, PROBLEM, JSON.stringify({ code: 'invalid_input', title: 't', detail: 'bad\u001b[2J\u001b]0;owned\u0007 input\nsecond line' }));
    expect(problem.detail).toBe('bad [2J ]0;owned  input second line');
    expect(problem.detail).not.toMatch(/[\u0000-\u001f]/);
  });

  it('maps 401 to the authentication exit code and every other refusal to "failed"', () => {
    const at = (status: number) => exitCodeForProblem(parseProblem(status, PROBLEM, JSON.stringify({ code: 'x', title: 'x' })));
    expect(at(401)).toBe(EXIT.auth);
    for (const status of [400, 403, 404, 409, 413, 415, 422, 429, 500, 503]) expect(at(status)).toBe(EXIT.failed);
  });

  it('maps a grant that has already ended to the "expired" exit code', () => {
    expect(exitCodeForProblem(parseProblem(409, PROBLEM, JSON.stringify({ code: 'grant_inactive', title: 'Grant inactive' })))).toBe(EXIT.expired);
  });

  it('reads the error of a Bearer challenge (RFC 6750), and none from a bare one', () => {
    expect(bearerError(new Headers({ 'www-authenticate': 'Bearer error="invalid_token"' }))).toBe('invalid_token');
    expect(bearerError(new Headers({ 'www-authenticate': 'Bearer realm="api", error="insufficient_user_authentication", acr_values="mfa"' }))).toBe('insufficient_user_authentication');
    expect(bearerError(new Headers({ 'www-authenticate': 'Bearer' }))).toBeUndefined();
    expect(bearerError(new Headers())).toBeUndefined();
  });
});
