import { describe, expect, it } from 'vitest';
import { cancelRequest } from '../../../src/app/cancel-request.ts';
import { endGrant, endGrantAsPerson } from '../../../src/app/end-grant.ts';
import { expirePendingRequests } from '../../../src/app/expire-pending-requests.ts';
import { issueGrant } from '../../../src/app/issue-grant.ts';
import { requestElevation } from '../../../src/app/request-elevation.ts';
import { reviewRequest } from '../../../src/app/review-request.ts';
import { isElevateError } from '../../../src/domain/errors.ts';
import type { Store } from '../../../src/ports/store.ts';
import { failingInTransactions } from '../../support/failing-transactions.ts';
import { coreHarness, slackUser, type CoreHarness } from '../../support/core-harness.ts';

async function approvedRequest(h: CoreHarness, approveAfterSec = 300) {
  const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-5', source: 'slack' });
  h.clock.advance(approveAfterSec);
  await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
  return request;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'no error',
    (error: unknown) => (isElevateError(error) ? error.code : String(error)),
  );
}

describe('issueGrant', () => {
  it('exchanges once and stores the token only sealed, with the window starting at approval', async () => {
    const h = await coreHarness();
    const request = await approvedRequest(h, 300);
    const approvedAt = h.clock.now();
    h.clock.advance(5);
    const { grant, created } = await issueGrant(h, request.id);
    expect(created).toBe(true);
    expect(grant).toMatchObject({ status: 'active', startsAt: approvedAt, endsAt: new Date(approvedAt.getTime() + 3600_000) });
    const token = [...h.issuer.live.keys()][0]!;
    const stored = await h.store.getGrant(grant.id);
    expect(stored?.tokenSealed).not.toContain(token);
    expect(h.cipher.open(stored!.tokenSealed!, grant.id)).toBe(token);
    expect(h.issuer.exchanges[0]).toMatchObject({ requester: { id: 'alice' }, approvers: ['bob'], scope: { oauthScope: 'db:admin', audience: 'https://db.example.com' } });
    const audit = await h.store.listAudit(0, 100);
    expect(audit.map((r) => r.type).slice(-2)).toEqual(['grant.issuing', 'grant.issued']);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('records the AS expiry beside the approved window when the AS grants longer', async () => {
    const h = await coreHarness();
    const request = await approvedRequest(h);
    const { grant } = await issueGrant(h, request.id);
    expect(grant.asExpiresAt!.getTime() - grant.endsAt.getTime()).toBeGreaterThan(0);
  });

  it('never exchanges twice for the same request', async () => {
    const h = await coreHarness();
    const request = await approvedRequest(h);
    const first = await issueGrant(h, request.id);
    const second = await issueGrant(h, request.id);
    expect(second).toEqual({ grant: expect.objectContaining({ id: first.grant.id }), created: false });
    expect(h.issuer.exchanges).toHaveLength(1);
  });

  it('refuses to issue for a request that is not approved', async () => {
    const h = await coreHarness();
    const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-5', source: 'slack' });
    expect(await codeOf(issueGrant(h, request.id))).toBe('not_approved');
    expect(h.issuer.exchanges).toHaveLength(0);
  });

  it('records a failed exchange as issue_failed and rethrows the typed error', async () => {
    const h = await coreHarness();
    const request = await approvedRequest(h);
    h.issuer.failNextExchanges = 1;
    expect(await codeOf(issueGrant(h, request.id))).toBe('issuer_unavailable');
    const grant = await h.store.getGrantByRequest(request.id);
    expect(grant).toMatchObject({ status: 'issue_failed', lastError: 'issuer_unavailable', tokenSealed: null });
  });

  it('revokes the token the AS issued when the store cannot record it, and records the failure with the revocation', async () => {
    const h = await coreHarness();
    const request = await approvedRequest(h);
    const deadlock = new Error('deadlock detected');
    const failing = { ...h, store: withFailingActivation(h.store, deadlock) };
    await expect(issueGrant(failing, request.id)).rejects.toBe(deadlock);
    const issued = h.issuer.revoked[0];
    expect(h.issuer.exchanges).toHaveLength(1);
    expect(h.issuer.revoked).toEqual([issued]);
    expect(h.issuer.live.size).toBe(0);
    const grant = await h.store.getGrantByRequest(request.id);
    expect(grant).toMatchObject({ status: 'issue_failed', lastError: 'internal', tokenSealed: null });
    const audit = await h.store.listAudit(0, 100);
    expect(audit.at(-1)).toMatchObject({ type: 'grant.issue_failed', grantId: grant!.id, data: { error: 'internal', tokenRevoked: true } });
    expect(JSON.stringify(audit)).not.toContain(issued);
  });

  it('says in the trail that the token still lives when neither the store nor the AS would end it', async () => {
    const h = await coreHarness();
    const request = await approvedRequest(h);
    h.issuer.failNextRevocations = 1;
    await expect(issueGrant({ ...h, store: withFailingActivation(h.store, new Error('connection lost')) }, request.id)).rejects.toThrow('connection lost');
    expect(h.issuer.live.size).toBe(1);
    const grant = await h.store.getGrantByRequest(request.id);
    expect(grant).toMatchObject({ status: 'issue_failed', tokenSealed: null });
    expect((await h.store.listAudit(0, 100)).at(-1)).toMatchObject({ type: 'grant.issue_failed', data: { tokenRevoked: false } });
  });
});

/** The store, except that a transaction moving a grant to `active` fails with `error` (a deadlock, a lost connection). */
function withFailingActivation(store: Store, error: Error): Store {
  return failingInTransactions(store, 'updateGrant', error, (args) => (args[2] as { status?: string }).status === 'active');
}

describe('endGrant', () => {
  it('revokes at the AS, erases the sealed token and records the lag from the end of the window', async () => {
    const h = await coreHarness();
    const { grant } = await issueGrant(h, (await approvedRequest(h)).id);
    h.clock.set(new Date(grant.endsAt.getTime() + 2_500));
    const result = await endGrant(h, grant.id, 'expired');
    expect(result.kind).toBe('revoked');
    expect(h.issuer.revoked).toHaveLength(1);
    expect(await h.store.getGrant(grant.id)).toMatchObject({ status: 'revoked', tokenSealed: null, revocationLagMs: 2_500, endReason: 'expired' });
  });

  it('keeps the grant revoking with a backoff when the AS is down, then finishes on retry', async () => {
    const h = await coreHarness();
    const { grant } = await issueGrant(h, (await approvedRequest(h)).id);
    h.issuer.failNextRevocations = 1;
    const first = await endGrant(h, grant.id, 'expired');
    expect(first.kind).toBe('revocation_pending');
    const pending = await h.store.getGrant(grant.id);
    expect(pending).toMatchObject({ status: 'revoking', revokeAttempts: 1, lastError: 'issuer_unavailable' });
    expect(pending!.tokenSealed).not.toBeNull();
    expect(pending!.nextAttemptAt!.getTime()).toBeGreaterThan(h.clock.now().getTime());
    const { completeRevocation } = await import('../../../src/app/end-grant.ts');
    expect((await completeRevocation(h, pending!)).kind).toBe('revoked');
  });

  it('does nothing the second time (double "I\'m done")', async () => {
    const h = await coreHarness();
    const { grant } = await issueGrant(h, (await approvedRequest(h)).id);
    await endGrant(h, grant.id, 'ended_by_requester');
    expect((await endGrant(h, grant.id, 'ended_by_requester')).kind).toBe('unchanged');
    expect(h.issuer.revoked).toHaveLength(1);
  });

  it.each([
    ['alice', 'ended_by_requester'],
    ['carol', 'revoked_by_reviewer'],
    ['erin', 'revoked_by_admin'],
  ])('lets %s end the grant early (%s)', async (who, reason) => {
    const h = await coreHarness();
    const { grant } = await issueGrant(h, (await approvedRequest(h)).id);
    const result = await endGrantAsPerson(h, grant.id, slackUser(who));
    expect(result.kind).toBe('revoked');
    expect(result.grant.endReason).toBe(reason);
  });

  it('refuses someone with no say over the grant, changing nothing', async () => {
    const h = await coreHarness();
    const { grant } = await issueGrant(h, (await approvedRequest(h)).id);
    expect(await codeOf(endGrantAsPerson(h, grant.id, slackUser('dave')))).toBe('forbidden');
    expect((await h.store.getGrant(grant.id))?.status).toBe('active');
    expect(h.issuer.revoked).toHaveLength(0);
  });
});

describe('expirePendingRequests', () => {
  it('expires pending requests at their TTL exactly, not a millisecond before', async () => {
    const h = await coreHarness();
    const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-5', source: 'slack' });
    h.clock.set(new Date(request.pendingUntil.getTime() - 1));
    expect(await expirePendingRequests(h)).toEqual([]);
    h.clock.set(request.pendingUntil);
    const expired = await expirePendingRequests(h);
    expect(expired.map((r) => [r.id, r.status])).toEqual([[request.id, 'expired']]);
    expect(await expirePendingRequests(h)).toEqual([]);
    expect((await h.store.listAudit(0, 100)).filter((r) => r.type === 'request.expired')).toHaveLength(1);
  });
});

describe('cancelRequest', () => {
  it('lets the requester withdraw a pending request, and nobody else', async () => {
    const h = await coreHarness();
    const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-5', source: 'slack' });
    expect(await codeOf(cancelRequest(h, request.id, slackUser('bob')))).toBe('forbidden');
    expect((await cancelRequest(h, request.id, slackUser('alice'))).status).toBe('cancelled');
    expect(await codeOf(cancelRequest(h, request.id, slackUser('alice')))).toBe('already_decided');
  });
});
