import { describe, expect, it } from 'vitest';
import { issueGrant } from '../../../src/app/issue-grant.ts';
import { RECONCILE_AFTER_SEC } from '../../../src/app/reconcile-approved-requests.ts';
import { requestElevation } from '../../../src/app/request-elevation.ts';
import { reviewRequest } from '../../../src/app/review-request.ts';
import { DEFAULT_SWEEP_OPTIONS, sweepOnce } from '../../../src/app/sweep.ts';
import { ElevateError } from '../../../src/domain/errors.ts';
import { coreHarness, slackUser, type CoreHarness } from '../../support/core-harness.ts';
import { RecordingNotifier } from '../../support/recording-notifier.ts';

/** Approves a request, then the database fails on the very next transaction: the one that would start the grant. */
async function approvedThenDatabaseFails(h: CoreHarness, duration = '1h') {
  const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration, reason: 'INC-5', source: 'slack' });
  await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
  const transaction = h.store.transaction.bind(h.store);
  h.store.transaction = async () => {
    h.store.transaction = transaction;
    throw new ElevateError('store_unavailable', 'The database is not answering.', { retryable: true });
  };
  await expect(issueGrant(h, request.id)).rejects.toMatchObject({ code: 'store_unavailable' });
  return request;
}

describe('reconciling approvals whose grant never started', () => {
  it('issues the grant of a request approved just before the database failed, and tells the requester', async () => {
    const h = await coreHarness();
    const notifier = new RecordingNotifier();
    const request = await approvedThenDatabaseFails(h);
    expect(await h.store.getGrantByRequest(request.id)).toBeNull();

    h.clock.advance(RECONCILE_AFTER_SEC);
    await sweepOnce({ ...h, notifier }, DEFAULT_SWEEP_OPTIONS);

    const grant = await h.store.getGrantByRequest(request.id);
    expect(grant).toMatchObject({ status: 'active' });
    expect(h.issuer.exchanges).toHaveLength(1);
    expect(notifier.notices).toEqual([{ kind: 'grantIssued', id: grant!.id }]);
    // The window still starts at the approval, not at the reconciliation.
    expect(grant!.endsAt.getTime() - grant!.startsAt.getTime()).toBe(3600_000);
    expect((await h.store.getRequest(request.id))?.decidedAt).toEqual(grant!.startsAt);
  });

  it('leaves a fresh approval to the flow that approved it', async () => {
    const h = await coreHarness();
    const request = await approvedThenDatabaseFails(h);
    h.clock.advance(RECONCILE_AFTER_SEC - 1);
    await sweepOnce({ ...h, notifier: new RecordingNotifier() }, DEFAULT_SWEEP_OPTIONS);
    expect(await h.store.getGrantByRequest(request.id)).toBeNull();
    expect(h.issuer.exchanges).toHaveLength(0);
  });

  it('exchanges once when several instances sweep the same forgotten approval at once', async () => {
    const h = await coreHarness();
    const request = await approvedThenDatabaseFails(h);
    h.clock.advance(RECONCILE_AFTER_SEC);
    const notifiers = [new RecordingNotifier(), new RecordingNotifier(), new RecordingNotifier()];
    await Promise.all(notifiers.map((notifier) => sweepOnce({ ...h, notifier }, DEFAULT_SWEEP_OPTIONS)));
    expect(h.issuer.exchanges).toHaveLength(1);
    expect(notifiers.flatMap((n) => n.notices)).toHaveLength(1);
    expect(await h.store.getGrantByRequest(request.id)).toMatchObject({ status: 'active' });
  });

  it('records a failed grant, minting nothing, when the approved window passed before anyone noticed', async () => {
    const h = await coreHarness();
    const notifier = new RecordingNotifier();
    const request = await approvedThenDatabaseFails(h, '15m');
    h.clock.advance(15 * 60);
    await sweepOnce({ ...h, notifier }, DEFAULT_SWEEP_OPTIONS);
    expect(await h.store.getGrantByRequest(request.id)).toMatchObject({ status: 'issue_failed', lastError: 'window_passed', tokenSealed: null });
    expect(h.issuer.exchanges).toHaveLength(0);
    expect(notifier.notices).toEqual([{ kind: 'grantIssueFailed', id: request.id }]);
    await sweepOnce({ ...h, notifier }, DEFAULT_SWEEP_OPTIONS);
    expect(notifier.notices).toHaveLength(1);
  });

  it('tells the requester when the late exchange fails, and does not retry it forever', async () => {
    const h = await coreHarness();
    const notifier = new RecordingNotifier();
    const request = await approvedThenDatabaseFails(h);
    h.clock.advance(RECONCILE_AFTER_SEC);
    h.issuer.failNextExchanges = 1;
    await sweepOnce({ ...h, notifier }, DEFAULT_SWEEP_OPTIONS);
    await sweepOnce({ ...h, notifier }, DEFAULT_SWEEP_OPTIONS);
    expect(await h.store.getGrantByRequest(request.id)).toMatchObject({ status: 'issue_failed', lastError: 'issuer_unavailable' });
    expect(h.issuer.exchanges).toHaveLength(1);
    expect(notifier.notices).toEqual([{ kind: 'grantIssueFailed', id: request.id }]);
  });
});
