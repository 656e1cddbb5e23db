import { describe, expect, it } from 'vitest';
import { toProblem } from '../../../src/adapters/api/problem.ts';
import { parseWith } from '../../../src/adapters/api/read-json-body.ts';
import { CreateRequestBody, RequestQuery } from '../../../src/adapters/api/schemas.ts';
import { ElevateError } from '../../../src/domain/errors.ts';

function problemOf(work: () => unknown) {
  try {
    work();
  } catch (error) {
    return toProblem(error);
  }
  throw new Error('expected a refusal');
}

describe('API input validation and problem documents', () => {
  it('names an unknown field and refuses it', () => {
    const problem = problemOf(() => parseWith(CreateRequestBody, { scope: 'prod-db-admin', reason: 'INC-1', approver: 'me' }));
    expect(problem).toMatchObject({ status: 400, code: 'invalid_input', type: 'urn:elevate:problem:invalid_input', errors: [{ field: 'approver', message: expect.stringContaining('unknown field') }] });
  });

  it('says what each missing or wrong field needs', () => {
    const problem = problemOf(() => parseWith(CreateRequestBody, { scope: '', reason: 42 }));
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(['reason', 'scope']);
    expect(problem.detail).toContain('name the scope to request');
  });

  it('checks query parameters with their own prefix', () => {
    const problem = problemOf(() => parseWith(RequestQuery, { wait: '600' }, 'query.'));
    expect(problem.errors).toEqual([{ field: 'query.wait', message: '0–60 seconds' }]);
    expect(parseWith(RequestQuery, { wait: '30' }, 'query.')).toEqual({ wait: 30 });
  });

  it('shows the message of a refusal, and nothing of an internal failure', () => {
    expect(toProblem(new ElevateError('self_approval', 'You cannot review your own request.'))).toEqual({
      type: 'urn:elevate:problem:self_approval',
      title: 'Self approval',
      status: 403,
      detail: 'You cannot review your own request.',
      code: 'self_approval',
    });
    expect(toProblem(new Error('connection string postgres://user:secret@db'))).toMatchObject({ status: 500, code: 'internal', detail: 'Internal error.' });
    expect(toProblem(new ElevateError('crypto_failed', 'key 3 failed'))).toMatchObject({ status: 500, detail: 'Internal error.' });
  });
});
