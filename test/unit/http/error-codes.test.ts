import { describe, expect, it } from 'vitest';
import { describeFailureForPerson } from '../../../src/app/chat/describe-failure.ts';
import { ElevateError } from '../../../src/domain/errors.ts';
import { toErrorResponse } from '../../../src/http/error-status.ts';

describe('error codes that say what happened', () => {
  it.each([
    ['grant_inactive', 409],
    ['not_approved', 409],
  ] as const)('%s answers %i over HTTP and tells the person in chat what state it found', (code, status) => {
    const error = new ElevateError(code, `the ${code} message`);
    expect(toErrorResponse(error)).toEqual({ status, body: { error: code, message: `the ${code} message` } });
    expect(describeFailureForPerson(error)).toBe(`the ${code} message`);
  });
});
