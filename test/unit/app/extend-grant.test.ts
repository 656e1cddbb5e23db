import { describe, expect, it } from 'vitest';
import { endGrantAsPerson } from '../../../src/app/end-grant.ts';
import { EXTENSION_GRANT_ENDED_NOTE, EXTENSION_UNREVIEWED_NOTE } from '../../../src/app/expire-pending-requests.ts';
import { EXTENDED_GRANT_ENDED, issueGrant } from '../../../src/app/issue-grant.ts';
import { requestElevation } from '../../../src/app/request-elevation.ts';
import { requestExtension } from '../../../src/app/request-extension.ts';
import { reviewRequest } from '../../../src/app/review-request.ts';
import { DEFAULT_SWEEP_OPTIONS, sweepOnce } from '../../../src/app/sweep.ts';
import { isElevateError } from '../../../src/domain/errors.ts';
import type { ScopeDefinition } from '../../../src/domain/scope.ts';
import { coreHarness, slackUser, type CoreHarness } from '../../support/core-harness.ts';
import { failingInTransactions } from '../../support/failing-transactions.ts';
import { takeLockOrderViolations } from '../../support/lock-order-store.ts';
import { RecordingNotifier } from '../../support/recording-notifier.ts';

async function activeGrant(h: CoreHarness, duration = '1h') {
  const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration, reason: 'INC-5', source: 'slack' });
  await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
  return (await issueGrant(h, request.id)).grant;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'no error',
    (error: unknown) => (isElevateError(error) ? error.code : String(error)),
  );
}

const extendRules = (rules: Partial<NonNullable<ScopeDefinition['extend']>>): Partial<ScopeDefinition> => ({ extend: { allowed: true, maxTotalSec: null, approvalsRequired: null, ...rules } });
const sweep = (h: CoreHarness, notifier = new RecordingNotifier()) => sweepOnce({ ...h, notifier }, DEFAULT_SWEEP_OPTIONS);

describe('requestExtension', () => {
  it('stores a pending extension of the grant, due for review until the grant ends at the latest', async () => {
    const h = await coreHarness({ scope: { pendingTtlSec: 7200 } });
    const grant = await activeGrant(h);
    h.clock.advance(35 * 60);
    const { request, decision } = await requestExtension(h, { actor: slackUser('alice'), grantId: grant.id, duration: '30m', reason: 'INC-5 still digging', source: 'slack' });
    expect(decision.outcome).toBe('review');
    expect(request).toMatchObject({ status: 'pending', extendsGrantId: grant.id, durationSec: 1800, approvalsRequired: 1, reason: 'INC-5 still digging', pendingUntil: grant.endsAt });
    const created = (await h.store.listAudit(0, 100)).find((r) => r.type === 'request.created' && r.requestId === request.id);
    expect(created?.data).toMatchObject({ extendsGrantId: grant.id, total: '1h30m', endsAt: new Date(grant.endsAt.getTime() + 1800_000).toISOString() });
  });

  it('keeps the grant’s own reason and asks for the scope’s default duration when none is given', async () => {
    const h = await coreHarness({ scope: { defaultDurationSec: 900 } });
    const grant = await activeGrant(h);
    const { request } = await requestExtension(h, { actor: slackUser('alice'), grantId: grant.id, source: 'slack' });
    expect(request).toMatchObject({ reason: 'INC-5', durationSec: 900 });
  });

  it('refuses to extend someone else’s grant, and stores nothing', async () => {
    const h = await coreHarness();
    const grant = await activeGrant(h);
    expect(await codeOf(requestExtension(h, { actor: slackUser('dave'), grantId: grant.id, duration: '30m', source: 'slack' }))).toBe('forbidden');
    expect(await codeOf(requestExtension(h, { actor: slackUser('bob'), grantId: grant.id, duration: '30m', source: 'slack' }))).toBe('forbidden');
    expect(await h.store.listRequests({ extendsGrantId: grant.id })).toEqual([]);
  });

  it('refuses past the scope’s extend.max_total (default: its max_duration), counted from the first grant’s start', async () => {
    const h = await coreHarness({ scope: { maxDurationSec: 2 * 3600 } });
    const grant = await activeGrant(h);
    expect(await codeOf(requestExtension(h, { actor: slackUser('alice'), grantId: grant.id, duration: '1h1m', source: 'slack' }))).toBe('duration_too_long');
    expect(await codeOf(requestExtension(h, { actor: slackUser('alice'), grantId: grant.id, duration: '1h', source: 'slack' }))).toBe('no error');

    const limited = await coreHarness({ scope: extendRules({ maxTotalSec: 5400 }) });
    const other = await activeGrant(limited);
    const refusal = await requestExtension(limited, { actor: slackUser('alice'), grantId: other.id, duration: '31m', source: 'slack' }).catch((error: Error) => error);
    expect(refusal).toMatchObject({ code: 'duration_too_long', message: expect.stringContaining('extend by 30m or less') });
  });

  it('refuses on a scope that does not allow extensions, a grant no longer active, and a second waiting extension', async () => {
    const closed = await coreHarness({ scope: extendRules({ allowed: false }) });
    const grant = await activeGrant(closed);
    expect(await codeOf(requestExtension(closed, { actor: slackUser('alice'), grantId: grant.id, duration: '30m', source: 'slack' }))).toBe('extension_not_allowed');

    const h = await coreHarness();
    const live = await activeGrant(h);
    await requestExtension(h, { actor: slackUser('alice'), grantId: live.id, duration: '30m', source: 'slack' });
    expect(await codeOf(requestExtension(h, { actor: slackUser('alice'), grantId: live.id, duration: '15m', source: 'slack' }))).toBe('extension_pending');
    h.clock.set(live.endsAt);
    expect(await codeOf(requestExtension(h, { actor: slackUser('alice'), grantId: live.id, duration: '15m', source: 'slack' }))).toBe('grant_inactive');
  });

  it('approves at once with extend.approvals_required 0, within max_total', async () => {
    const h = await coreHarness({ scope: extendRules({ approvalsRequired: 0 }) });
    const grant = await activeGrant(h);
    const { request, decision } = await requestExtension(h, { actor: slackUser('alice'), grantId: grant.id, duration: '30m', source: 'slack' });
    expect(decision.outcome).toBe('auto_approve');
    expect(request).toMatchObject({ status: 'auto_approved', approvalsRequired: 0 });
  });

  it('waits for the requester’s verification first on a scope that needs requester MFA', async () => {
    const mfa = { requester: true, approver: false, maxAgeSec: 300, acrValues: [], amr: ['mfa'], allowServiceAccounts: false };
    const h = await coreHarness({ scope: { mfa, ...extendRules({ approvalsRequired: 0 }) } });
    const { request: original } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-5', source: 'slack' });
    await h.store.transaction((tx) => tx.updateRequest(original.id, 'pending', { status: 'approved', decidedAt: h.clock.now() }));
    const grant = (await issueGrant(h, original.id)).grant;
    const { request } = await requestExtension(h, { actor: slackUser('alice'), grantId: grant.id, duration: '30m', source: 'slack' });
    expect(request.status).toBe('verifying');
  });
});

describe('reviewing and issuing an extension', () => {
  it('refuses the requester’s own approval of their extension', async () => {
    const h = await coreHarness({ scope: { approvers: ['alice', 'bob'] } });
    const grant = await activeGrant(h);
    const { request } = await requestExtension(h, { actor: slackUser('alice'), grantId: grant.id, duration: '30m', source: 'slack' });
    expect(await codeOf(reviewRequest(h, { requestId: request.id, actor: slackUser('alice'), decision: 'approve' }))).toBe('self_approval');
  });

  it('on approval issues a grant from now until the old end plus the extension, then revokes the old one', async () => {
    const h = await coreHarness();
    const grant = await activeGrant(h);
    h.clock.advance(40 * 60);
    const { request } = await requestExtension(h, { actor: slackUser('alice'), grantId: grant.id, duration: '30m', source: 'slack' });
    h.clock.advance(60);
    await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    const oldToken = [...h.issuer.live.keys()][0]!;
    const { grant: next, created } = await issueGrant(h, request.id);
    expect(created).toBe(true);
    expect(next).toMatchObject({ status: 'active', startsAt: h.clock.now(), endsAt: new Date(grant.endsAt.getTime() + 1800_000) });
    expect(h.issuer.exchanges.at(-1)?.windowEndsAt).toEqual(next.endsAt);
    expect(await h.store.getGrant(grant.id)).toMatchObject({ status: 'revoked', endReason: 'extended', tokenSealed: null });
    expect(h.issuer.revoked).toEqual([oldToken]);
    expect(h.issuer.live.size).toBe(1);
    const types = (await h.store.listAudit(0, 200)).map((r) => `${r.type}:${r.grantId ?? ''}`);
    expect(types.indexOf(`grant.issued:${next.id}`)).toBeLessThan(types.indexOf(`grant.revoking:${grant.id}`));
  });

  it('locks the grant it replaces before appending to the audit chain, as every transaction must (no deadlock with a sweep)', async () => {
    const h = await coreHarness();
    const grant = await activeGrant(h);
    const { request } = await requestExtension(h, { actor: slackUser('alice'), grantId: grant.id, duration: '30m', source: 'slack' });
    await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    takeLockOrderViolations();
    await issueGrant(h, request.id);
    expect(await h.store.getGrant(grant.id)).toMatchObject({ status: 'revoked', endReason: 'extended' });
    expect(takeLockOrderViolations()).toEqual([]);
  });

  it('keeps the new grant and its token when ending the replaced grant fails after the activation committed', async () => {
    const h = await coreHarness();
    const grant = await activeGrant(h);
    const { request } = await requestExtension(h, { actor: slackUser('alice'), grantId: grant.id, duration: '30m', source: 'slack' });
    await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    const oldToken = [...h.issuer.live.keys()][0]!;
    // The store fails the transaction that records the old grant's confirmed revocation.
    const failing = failingInTransactions(h.store, 'markGrantsRevoked', new Error('connection lost'));
    await issueGrant({ ...h, store: failing }, request.id).catch(() => undefined);
    const next = await h.store.getGrantByRequest(request.id);
    expect(next).toMatchObject({ status: 'active' });
    const newToken = h.cipher.open(next!.tokenSealed!, next!.id);
    expect(h.issuer.live.has(newToken)).toBe(true);
    expect(h.issuer.revoked).not.toContain(newToken);
    expect(h.issuer.revoked).toEqual([oldToken]);
    expect((await h.store.getGrant(grant.id))?.status).toBe('revoking');
  });

  it('leaves the old grant to the sweeper’s retries when the AS refuses its revocation, never forgetting it', async () => {
    const h = await coreHarness();
    const grant = await activeGrant(h);
    const { request } = await requestExtension(h, { actor: slackUser('alice'), grantId: grant.id, duration: '30m', source: 'slack' });
    await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    h.issuer.failNextRevocations = 1;
    await issueGrant(h, request.id);
    expect(await h.store.getGrant(grant.id)).toMatchObject({ status: 'revoking', endReason: 'extended', revokeAttempts: 1 });
    h.clock.advance(60);
    const notifier = new RecordingNotifier();
    expect((await sweep(h, notifier)).revoked).toBe(1);
    expect(await h.store.getGrant(grant.id)).toMatchObject({ status: 'revoked', endReason: 'extended' });
  });

  it('leaves the grant as it was when the extension is denied', async () => {
    const h = await coreHarness();
    const grant = await activeGrant(h);
    const { request } = await requestExtension(h, { actor: slackUser('alice'), grantId: grant.id, duration: '30m', source: 'slack' });
    await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'deny', comment: 'wrap it up' });
    expect(await codeOf(issueGrant(h, request.id))).toBe('not_approved');
    expect(await h.store.getGrant(grant.id)).toMatchObject({ status: 'active', endsAt: grant.endsAt });
  });

  it('expires an unreviewed extension at its pending TTL and leaves the grant running', async () => {
    const h = await coreHarness({ scope: { pendingTtlSec: 600 } });
    const grant = await activeGrant(h);
    const { request } = await requestExtension(h, { actor: slackUser('alice'), grantId: grant.id, duration: '30m', source: 'slack' });
    h.clock.advance(599);
    expect((await sweep(h)).expiredRequests).toBe(0);
    h.clock.advance(1);
    const notifier = new RecordingNotifier();
    expect((await sweep(h, notifier)).expiredRequests).toBe(1);
    expect(await h.store.getRequest(request.id)).toMatchObject({ status: 'expired', decisionNote: EXTENSION_UNREVIEWED_NOTE });
    expect(await h.store.getGrant(grant.id)).toMatchObject({ status: 'active' });
    expect(notifier.notices).toEqual([{ kind: 'requestExpired', id: request.id }]);
  });

  it('ends the grant as usual when it runs out while its extension waits, and the extension expires with it', async () => {
    const h = await coreHarness({ scope: { pendingTtlSec: 7200 } });
    const grant = await activeGrant(h);
    h.clock.advance(50 * 60);
    const { request } = await requestExtension(h, { actor: slackUser('alice'), grantId: grant.id, duration: '30m', source: 'slack' });
    h.clock.set(grant.endsAt);
    const report = await sweep(h);
    expect(report).toMatchObject({ expiredRequests: 1, revoked: 1 });
    expect(await h.store.getRequest(request.id)).toMatchObject({ status: 'expired', decisionNote: EXTENSION_GRANT_ENDED_NOTE });
    expect(await h.store.getGrant(grant.id)).toMatchObject({ status: 'revoked', endReason: 'expired' });
    expect(await codeOf(reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' }))).toBe('already_decided');
  });

  it('cannot approve an extension of a grant ended early; the next sweep expires it', async () => {
    const h = await coreHarness();
    const grant = await activeGrant(h);
    const { request } = await requestExtension(h, { actor: slackUser('alice'), grantId: grant.id, duration: '30m', source: 'slack' });
    await endGrantAsPerson(h, grant.id, slackUser('alice'));
    expect(await codeOf(reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' }))).toMatch(/grant_inactive|request_expired/);
    expect((await sweep(h)).expiredRequests).toBe(1);
    expect(await h.store.getRequest(request.id)).toMatchObject({ status: 'expired', decisionNote: EXTENSION_GRANT_ENDED_NOTE });
  });

  it('records a failed grant, exchanging nothing, when the extended grant ended between approval and issuance', async () => {
    const h = await coreHarness();
    const grant = await activeGrant(h);
    const { request } = await requestExtension(h, { actor: slackUser('alice'), grantId: grant.id, duration: '30m', source: 'slack' });
    await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    await h.store.transaction((tx) => tx.updateGrant(grant.id, 'active', { status: 'revoking', endReason: 'ended_by_requester' }));
    const exchanges = h.issuer.exchanges.length;
    expect(await codeOf(issueGrant(h, request.id))).toBe('grant_inactive');
    expect(h.issuer.exchanges).toHaveLength(exchanges);
    expect(await h.store.getGrantByRequest(request.id)).toMatchObject({ status: 'issue_failed', lastError: EXTENDED_GRANT_ENDED });
    expect(await codeOf(issueGrant(h, request.id))).toBe('no error');
  });

  it('counts a second extension’s total from the first grant’s start', async () => {
    const h = await coreHarness({ scope: { maxDurationSec: 2 * 3600, ...extendRules({ approvalsRequired: 0 }) } });
    const first = await activeGrant(h);
    const { request } = await requestExtension(h, { actor: slackUser('alice'), grantId: first.id, duration: '30m', source: 'slack' });
    const second = (await issueGrant(h, request.id)).grant;
    h.clock.advance(600);
    expect(await codeOf(requestExtension(h, { actor: slackUser('alice'), grantId: second.id, duration: '31m', source: 'slack' }))).toBe('duration_too_long');
    expect(await codeOf(requestExtension(h, { actor: slackUser('alice'), grantId: second.id, duration: '30m', source: 'slack' }))).toBe('no error');
  });

  it('is issued by the sweeper when the flow that approved it was interrupted, counting its window from the old grant’s end', async () => {
    const h = await coreHarness({ scope: extendRules({ approvalsRequired: 0 }) });
    const grant = await activeGrant(h);
    const { request } = await requestExtension(h, { actor: slackUser('alice'), grantId: grant.id, duration: '15m', source: 'slack' });
    h.clock.advance(20 * 60);
    const notifier = new RecordingNotifier();
    await sweep(h, notifier);
    const next = await h.store.getGrantByRequest(request.id);
    expect(next).toMatchObject({ status: 'active', endsAt: new Date(grant.endsAt.getTime() + 900_000) });
    expect(await h.store.getGrant(grant.id)).toMatchObject({ status: 'revoked', endReason: 'extended' });
    expect(notifier.notices).toContainEqual({ kind: 'grantIssued', id: next!.id });
  });
});
