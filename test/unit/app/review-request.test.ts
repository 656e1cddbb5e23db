import { describe, expect, it } from 'vitest';
import { requestElevation } from '../../../src/app/request-elevation.ts';
import { reviewRequest } from '../../../src/app/review-request.ts';
import { isElevateError } from '../../../src/domain/errors.ts';
import type { ScopeDefinition } from '../../../src/domain/scope.ts';
import { coreHarness, slackUser, type CoreHarness } from '../../support/core-harness.ts';
import { aPrincipal } from '../../support/builders.ts';

async function pendingRequest(h: CoreHarness) {
  const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-5', source: 'slack' });
  return request;
}

async function harnessWith(scope: Partial<ScopeDefinition> = {}) {
  const h = await coreHarness({ scope });
  return { h, request: await pendingRequest(h) };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'no error',
    (error: unknown) => (isElevateError(error) ? error.code : String(error)),
  );
}

describe('reviewRequest', () => {
  it('approves with one approval when one is required, starting the window at approval', async () => {
    const { h, request } = await harnessWith();
    h.clock.advance(600);
    const result = await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    expect(result.outcome).toEqual({ kind: 'approved', approvals: 1, required: 1 });
    expect(result.request).toMatchObject({ status: 'approved', decidedAt: h.clock.now() });
    expect(await h.store.getRequest(request.id)).toMatchObject({ status: 'approved' });
    expect((await h.store.listAudit(0, 10)).map((r) => r.type)).toEqual(['request.created', 'review.recorded', 'request.approved']);
  });

  it('needs N distinct approvals when the scope requires N', async () => {
    const { h, request } = await harnessWith({ approvalsRequired: 2 });
    const first = await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    expect(first.outcome).toEqual({ kind: 'recorded', approvals: 1, required: 2 });
    expect((await h.store.getRequest(request.id))?.status).toBe('pending');
    const second = await reviewRequest(h, { requestId: request.id, actor: slackUser('carol'), decision: 'approve' });
    expect(second.outcome).toEqual({ kind: 'approved', approvals: 2, required: 2 });
  });

  it('denies on one denial, keeping the comment as the reason', async () => {
    const { h, request } = await harnessWith({ approvalsRequired: 2 });
    await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    const result = await reviewRequest(h, { requestId: request.id, actor: slackUser('carol'), decision: 'deny', comment: 'use the read replica' });
    expect(result.request).toMatchObject({ status: 'denied', decisionNote: 'use the read replica' });
  });

  const refusals = [
    { name: 'refuses self-approval even when the requester is an approver', scope: { approvers: ['alice', 'bob'] }, actor: 'alice', code: 'self_approval' },
    { name: 'refuses a click from someone who is not an approver', scope: {}, actor: 'dave', code: 'not_an_approver' },
    { name: 'refuses an admin who is not an approver of the scope', scope: {}, actor: 'erin', code: 'not_an_approver' },
  ];
  for (const c of refusals) {
    it(`${c.name}, changing nothing`, async () => {
      const { h, request } = await harnessWith(c.scope);
      const audit = (await h.store.listAudit(0, 100)).length;
      expect(await codeOf(reviewRequest(h, { requestId: request.id, actor: slackUser(c.actor), decision: 'approve' }))).toBe(c.code);
      expect(await h.store.listReviews(request.id)).toEqual([]);
      expect((await h.store.getRequest(request.id))?.status).toBe('pending');
      expect((await h.store.listAudit(0, 100)).length).toBe(audit);
    });
  }

  it('rejects a second approval from the same approver', async () => {
    const { h, request } = await harnessWith({ approvalsRequired: 2 });
    await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    expect(await codeOf(reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' }))).toBe('already_reviewed');
    expect(await h.store.listReviews(request.id)).toHaveLength(1);
  });

  it('refuses any click after the decision (a double click changes nothing twice)', async () => {
    const { h, request } = await harnessWith();
    await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    expect(await codeOf(reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' }))).toBe('already_decided');
    expect(await codeOf(reviewRequest(h, { requestId: request.id, actor: slackUser('carol'), decision: 'deny' }))).toBe('already_decided');
    expect((await h.store.getRequest(request.id))?.status).toBe('approved');
  });

  it('refuses a review once the pending window has passed, exactly at the boundary', async () => {
    const lastMoment = await harnessWith();
    lastMoment.h.clock.set(new Date(lastMoment.request.pendingUntil.getTime() - 1));
    const review = { requestId: lastMoment.request.id, actor: slackUser('bob'), decision: 'approve' as const };
    expect((await reviewRequest(lastMoment.h, review)).outcome.kind).toBe('approved');

    const tooLate = await harnessWith();
    tooLate.h.clock.set(tooLate.request.pendingUntil);
    expect(await codeOf(reviewRequest(tooLate.h, { ...review, requestId: tooLate.request.id }))).toBe('request_expired');
    expect(await tooLate.h.store.listReviews(tooLate.request.id)).toEqual([]);
  });

  it('gives exactly one transition when 20 approvers click at the same moment', async () => {
    const approvers = Array.from({ length: 20 }, (_, i) => `approver-${i}`);
    const h = await coreHarness({ scope: { approvers, approvalsRequired: 3 } });
    await h.store.transaction(async (tx) => {
      for (const id of approvers) {
        await tx.putPrincipal(aPrincipal({ id, displayName: id, email: null }));
        await tx.putIdentity({ platform: 'slack', userId: `U-${id.toUpperCase()}`, principalId: id });
      }
    });
    const request = await pendingRequest(h);
    const results = await Promise.allSettled(approvers.map((id) => reviewRequest(h, { requestId: request.id, actor: slackUser(id), decision: 'approve' })));
    const approved = results.filter((r) => r.status === 'fulfilled' && r.value.outcome.kind === 'approved');
    expect(approved).toHaveLength(1);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect((await h.store.listReviews(request.id)).filter((r) => r.decision === 'approve')).toHaveLength(3);
    expect((await h.store.listAudit(0, 1000)).filter((r) => r.type === 'request.approved')).toHaveLength(1);
  });

  it('reports an unknown request as not found', async () => {
    const { h } = await harnessWith();
    expect(await codeOf(reviewRequest(h, { requestId: 'r-nope', actor: slackUser('bob'), decision: 'approve' }))).toBe('not_found');
  });

  describe('openIssuingIntent', () => {
    it('writes the issuing grant with the approval, in one turn of the audit chain, so no approved request is ever without one', async () => {
      const { h, request } = await harnessWith();
      h.clock.advance(600);
      const result = await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' }, { openIssuingIntent: true });
      const grant = await h.store.getGrantByRequest(request.id);
      expect(grant).toMatchObject({ status: 'issuing', startsAt: h.clock.now() });
      expect(result.intent).toMatchObject({ grant: { id: grant!.id }, approvers: ['bob'], requesterKind: 'human', scope: { name: 'prod-db-admin' } });
      const audit = await h.store.listAudit(0, 10);
      expect(audit.map((r) => r.type)).toEqual(['request.created', 'review.recorded', 'request.approved', 'grant.issuing']);
      expect(audit[3]).toMatchObject({ grantId: grant!.id, data: { approvers: ['bob'] } });
    });

    it('writes none for an approval still short of its quorum, a denial, or a requester who must verify first', async () => {
      const short = await harnessWith({ approvalsRequired: 2 });
      expect((await reviewRequest(short.h, { requestId: short.request.id, actor: slackUser('bob'), decision: 'approve' }, { openIssuingIntent: true })).intent).toBeUndefined();
      const denied = await harnessWith();
      expect((await reviewRequest(denied.h, { requestId: denied.request.id, actor: slackUser('bob'), decision: 'deny' }, { openIssuingIntent: true })).intent).toBeUndefined();
      const verifying = await harnessWith({ mfa: { requester: true, approver: false, maxAgeSec: 300, acrValues: [], amr: ['mfa'], allowServiceAccounts: false } });
      const result = await reviewRequest(verifying.h, { requestId: verifying.request.id, actor: slackUser('bob'), decision: 'approve' }, { openIssuingIntent: true });
      expect(result.request.status).toBe('verifying');
      expect(result.intent).toBeUndefined();
      for (const { h, request } of [short, denied, verifying]) expect(await h.store.getGrantByRequest(request.id)).toBeNull();
    });
  });
});
