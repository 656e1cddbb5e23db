import { describe, expect, it } from 'vitest';
import type { ApiRequest } from '../../../src/cli/elevate/api-types.ts';
import { EXIT } from '../../../src/cli/elevate/exit-codes.ts';
import { describeState } from '../../../src/cli/elevate/render.ts';
import { exitCodeForRequest, isGranted, isSettled } from '../../../src/cli/elevate/request-outcome.ts';
import { anApiRequest } from './cli-harness.ts';

const grant = (status: NonNullable<ApiRequest['grant']>['status']) => ({ id: 'grt_1', status, startsAt: '2026-03-02T09:01:00.000Z', endsAt: '2026-03-02T09:16:00.000Z', endedAt: null });

describe('what a request\'s state means for --wait and the exit code', () => {
  const cases: [string, Partial<ApiRequest>, { settled: boolean; exit: number; granted: boolean }][] = [
    ['pending', {}, { settled: false, exit: EXIT.ok, granted: false }],
    ['approved, grant not yet made', { status: 'approved', approvals: ['bob'] }, { settled: false, exit: EXIT.ok, granted: false }],
    ['approved, grant issuing', { status: 'approved', grant: grant('issuing') }, { settled: false, exit: EXIT.ok, granted: false }],
    ['approved, grant active', { status: 'approved', grant: grant('active') }, { settled: true, exit: EXIT.ok, granted: true }],
    ['auto-approved, grant active', { status: 'auto_approved', grant: grant('active') }, { settled: true, exit: EXIT.ok, granted: true }],
    ['approved, issuing failed', { status: 'approved', grant: grant('issue_failed') }, { settled: true, exit: EXIT.failed, granted: false }],
    ['approved, grant already ended', { status: 'approved', grant: grant('revoked') }, { settled: true, exit: EXIT.expired, granted: false }],
    ['approved, grant being revoked', { status: 'approved', grant: grant('revoking') }, { settled: true, exit: EXIT.expired, granted: false }],
    ['denied', { status: 'denied', denials: ['bob'] }, { settled: true, exit: EXIT.denied, granted: false }],
    ['denied by policy', { status: 'auto_denied' }, { settled: true, exit: EXIT.denied, granted: false }],
    ['expired', { status: 'expired' }, { settled: true, exit: EXIT.expired, granted: false }],
    ['cancelled', { status: 'cancelled' }, { settled: true, exit: EXIT.cancelled, granted: false }],
  ];

  it.each(cases)('%s', (_name, overrides, expected) => {
    const request = anApiRequest(overrides);
    expect({ settled: isSettled(request), exit: exitCodeForRequest(request), granted: isGranted(request) }).toEqual(expected);
  });

  it('gives every outcome a script branches on its own exit code', () => {
    const codes = [EXIT.ok, EXIT.denied, EXIT.expired, EXIT.cancelled, EXIT.usage, EXIT.auth, EXIT.unreachable, EXIT.failed];
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('says who a pending request waits for and who denied one, with the note', () => {
    expect(describeState(anApiRequest())).toBe('pending, waiting for 1 more approval(s) from bob until 2026-03-02T09:30:00.000Z');
    expect(describeState(anApiRequest({ status: 'denied', denials: ['bob'], decisionNote: 'not during the freeze' }))).toBe('denied by bob: not during the freeze');
    expect(describeState(anApiRequest({ status: 'approved', approvals: ['bob'], grant: grant('active') }))).toBe('approved by bob, granted until 2026-03-02T09:16:00.000Z (grant grt_1)');
  });
});
