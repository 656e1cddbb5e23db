import { describe, expect, it } from 'vitest';
import { evaluateReview } from '../../../src/domain/review.ts';
import { checkAuthentication, describeAccepted, requesterMustVerify, type MfaPolicy } from '../../../src/domain/step-up.ts';
import { aRequest, aScope, at, T0 } from '../../support/builders.ts';

const policy: MfaPolicy = { requester: true, approver: true, maxAgeSec: 300, acrValues: ['urn:example:loa:3'], amr: ['mfa', 'otp'], allowServiceAccounts: false };
const signIn = (overrides: Partial<{ acr: string | null; amr: string[]; authTime: Date }> = {}) => ({ subject: 'bob', acr: null, amr: ['otp'], authTime: T0, ...overrides });

describe('checkAuthentication', () => {
  it('accepts an accepted amr or an accepted acr, no older than max_age', () => {
    expect(checkAuthentication(policy, signIn(), at(300))).toEqual({ ok: true });
    expect(checkAuthentication(policy, signIn({ amr: ['pwd'], acr: 'urn:example:loa:3' }), at(10))).toEqual({ ok: true });
  });

  it('refuses a sign-in older than max_age, one from the future, and none at all', () => {
    expect(checkAuthentication(policy, signIn(), at(301))).toMatchObject({ ok: false, problem: 'stale' });
    expect(checkAuthentication(policy, signIn({ authTime: at(120) }), T0)).toMatchObject({ ok: false, problem: 'stale' });
    expect(checkAuthentication(policy, null, T0)).toMatchObject({ ok: false, problem: 'missing' });
  });

  it('refuses methods the scope does not accept, naming what it accepts', () => {
    const check = checkAuthentication(policy, signIn({ amr: ['pwd'], acr: 'urn:example:loa:1' }), T0);
    expect(check).toMatchObject({ ok: false, problem: 'insufficient' });
    expect(!check.ok && check.message).toContain('acr urn:example:loa:3, or amr mfa or otp');
  });

  it('is not fooled by an acr that only looks like an amr, or the reverse', () => {
    expect(checkAuthentication({ ...policy, acrValues: [] }, signIn({ amr: [], acr: 'mfa' }), T0)).toMatchObject({ ok: false });
    expect(checkAuthentication({ ...policy, amr: [] }, signIn({ amr: ['urn:example:loa:3'] }), T0)).toMatchObject({ ok: false });
  });

  it('describes the accepted methods in words', () => {
    expect(describeAccepted({ acrValues: [], amr: ['mfa'] })).toBe('amr mfa');
  });
});

describe('requesterMustVerify', () => {
  it('asks humans on scopes with requester MFA, never service accounts, never scopes without it', () => {
    expect(requesterMustVerify(policy, 'human')).toBe(true);
    expect(requesterMustVerify(policy, 'service')).toBe(false);
    expect(requesterMustVerify({ ...policy, requester: false }, 'human')).toBe(false);
    expect(requesterMustVerify(null, 'human')).toBe(false);
  });
});

describe('evaluateReview with approver MFA', () => {
  const scope = aScope({ mfa: policy });
  const request = aRequest({ status: 'pending' });
  const review = (authentication: ReturnType<typeof signIn> | null, decision: 'approve' | 'deny' = 'approve', approverId = 'bob') =>
    evaluateReview({ request, scope, previous: [], approverId, decision, now: at(60), authentication });

  it('counts an approval with a fresh accepted sign-in', () => {
    expect(review(signIn())).toEqual({ kind: 'approved', approvals: 1, required: 1 });
  });

  it('asks for a step-up without one, with the scope’s challenge', () => {
    expect(review(null)).toMatchObject({ kind: 'step_up_required', challenge: { acrValues: ['urn:example:loa:3'], maxAgeSec: 300 } });
  });

  it('never asks for MFA to deny', () => {
    expect(review(null, 'deny')).toEqual({ kind: 'denied' });
  });

  it('refuses self-approval and non-approvers before it would ask anyone to verify', () => {
    expect(() => review(null, 'approve', 'alice')).toThrow(/your own request/);
    expect(() => review(null, 'approve', 'dave')).toThrow(/not an approver/);
  });
});
