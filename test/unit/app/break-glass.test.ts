import { describe, expect, it } from 'vitest';
import { issueGrant } from '../../../src/app/issue-grant.ts';
import { remindBreakGlassReviews } from '../../../src/app/remind-break-glass-reviews.ts';
import { requestBreakGlass } from '../../../src/app/request-break-glass.ts';
import { reviewBreakGlass } from '../../../src/app/review-break-glass.ts';
import { DEFAULT_SWEEP_OPTIONS, sweepOnce } from '../../../src/app/sweep.ts';
import { isElevateError } from '../../../src/domain/errors.ts';
import type { BreakGlassPolicy } from '../../../src/domain/scope.ts';
import { coreHarness, slackUser, type CoreHarness } from '../../support/core-harness.ts';
import { RecordingNotifier } from '../../support/recording-notifier.ts';

const allowed = (rules: Partial<BreakGlassPolicy> = {}): BreakGlassPolicy => ({ allowed: true, maxDurationSec: null, broadcast: [{ platform: 'slack', channelId: 'C-SECURITY' }], reviewWithinSec: 86_400, ...rules });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'no error',
    (error: unknown) => (isElevateError(error) ? error.code : String(error)),
  );
}

const breakGlass = (h: CoreHarness, overrides: { duration?: string; reason?: string; actor?: ReturnType<typeof slackUser> } = {}) =>
  requestBreakGlass(h, { actor: overrides.actor ?? slackUser('alice'), scopeName: 'prod-db-admin', duration: overrides.duration ?? '30m', reason: overrides.reason ?? 'INC-9 production is down', source: 'slack' });

describe('break-glass', () => {
  it('grants at once without approvers, with a review due within review_within, and issues a token', async () => {
    const h = await coreHarness({ scope: { breakGlass: allowed({ reviewWithinSec: 4 * 3600 }) } });
    const { request } = await breakGlass(h);
    expect(request).toMatchObject({ status: 'auto_approved', approvalsRequired: 0, breakGlass: { dueAt: new Date(h.clock.now().getTime() + 4 * 3600_000), reviewedAt: null, remindedAt: null } });
    const { grant } = await issueGrant(h, request.id);
    expect(grant.status).toBe('active');
    const types = (await h.store.listAudit(0, 100)).map((r) => r.type);
    expect(types).toEqual(expect.arrayContaining(['request.created', 'break_glass.granted', 'grant.issued']));
  });

  it('refuses on a scope that does not allow it, and without a reason, storing nothing', async () => {
    const closed = await coreHarness();
    expect(await codeOf(breakGlass(closed))).toBe('break_glass_not_allowed');
    const notAllowed = await coreHarness({ scope: { breakGlass: allowed({ allowed: false }) } });
    expect(await codeOf(breakGlass(notAllowed))).toBe('break_glass_not_allowed');
    const h = await coreHarness({ scope: { breakGlass: allowed() } });
    expect(await codeOf(breakGlass(h, { reason: '   ' }))).toBe('reason_required');
    expect(await codeOf(breakGlass(h, { duration: '5h' }))).toBe('duration_too_long');
    expect(await h.store.listRequests({})).toEqual([]);
  });

  it('keeps to break_glass.max_duration', async () => {
    const h = await coreHarness({ scope: { breakGlass: allowed({ maxDurationSec: 1800 }) } });
    expect(await codeOf(breakGlass(h, { duration: '31m' }))).toBe('duration_too_long');
    expect(await codeOf(breakGlass(h, { duration: '30m' }))).toBe('no error');
  });

  it('goes through the requester’s verification first on a scope that needs requester MFA', async () => {
    const mfa = { requester: true, approver: false, maxAgeSec: 300, acrValues: [], amr: ['mfa'], allowServiceAccounts: false };
    const h = await coreHarness({ scope: { mfa, breakGlass: allowed() } });
    const { request } = await breakGlass(h);
    expect(request.status).toBe('verifying');
    expect(await codeOf(issueGrant(h, request.id))).toBe('not_approved');
  });

  it('is acknowledged or flagged once, by an eligible approver who is not the requester', async () => {
    const h = await coreHarness({ scope: { approvers: ['alice', 'bob', 'carol'], breakGlass: allowed() } });
    const { request } = await breakGlass(h);
    expect(await codeOf(reviewBreakGlass(h, { requestId: request.id, actor: slackUser('alice'), verdict: 'acknowledged' }))).toBe('self_approval');
    expect(await codeOf(reviewBreakGlass(h, { requestId: request.id, actor: slackUser('dave'), verdict: 'acknowledged' }))).toBe('not_an_approver');
    h.clock.advance(120);
    const flagged = await reviewBreakGlass(h, { requestId: request.id, actor: slackUser('bob'), verdict: 'flagged', note: 'no incident ticket' });
    expect(flagged.breakGlass).toMatchObject({ verdict: 'flagged', reviewedBy: 'bob', reviewedAt: h.clock.now(), note: 'no incident ticket' });
    expect(await codeOf(reviewBreakGlass(h, { requestId: request.id, actor: slackUser('carol'), verdict: 'acknowledged' }))).toBe('already_reviewed');
    expect((await h.store.getRequest(request.id))?.breakGlass).toMatchObject({ verdict: 'flagged', reviewedBy: 'bob' });
    const audit = await h.store.listAudit(0, 100);
    expect(audit.filter((r) => r.type.startsWith('break_glass.'))).toEqual([
      expect.objectContaining({ type: 'break_glass.granted', actor: 'alice' }),
      expect.objectContaining({ type: 'break_glass.flagged', actor: 'bob', data: expect.objectContaining({ note: 'no incident ticket', overdue: false }) }),
    ]);
  });

  it('refuses to review a request that is not a break-glass', async () => {
    const h = await coreHarness({ scope: { breakGlass: allowed() } });
    const { requestElevation } = await import('../../../src/app/request-elevation.ts');
    const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-1', source: 'slack' });
    expect(await codeOf(reviewBreakGlass(h, { requestId: request.id, actor: slackUser('bob'), verdict: 'acknowledged' }))).toBe('not_found');
  });
});

describe('the break-glass review deadline', () => {
  it('reminds once when review_within has passed unreviewed, not a millisecond before', async () => {
    const h = await coreHarness({ scope: { breakGlass: allowed({ reviewWithinSec: 3600 }) } });
    const { request } = await breakGlass(h);
    h.clock.advance(3599);
    expect(await remindBreakGlassReviews(h)).toEqual([]);
    h.clock.advance(1);
    const notifier = new RecordingNotifier();
    const report = await sweepOnce({ ...h, notifier }, DEFAULT_SWEEP_OPTIONS);
    expect(report.breakGlassReminders).toBe(1);
    expect(notifier.notices).toContainEqual({ kind: 'breakGlassReviewOverdue', id: request.id });
    expect((await h.store.getRequest(request.id))?.breakGlass?.remindedAt).toEqual(h.clock.now());
    h.clock.advance(3600);
    expect((await sweepOnce({ ...h, notifier: new RecordingNotifier() }, DEFAULT_SWEEP_OPTIONS)).breakGlassReminders).toBe(0);
    expect((await h.store.listAudit(0, 200)).filter((r) => r.type === 'break_glass.reminded')).toHaveLength(1);
  });

  it('reminds once even when two sweepers find the same overdue review at once', async () => {
    const h = await coreHarness({ scope: { breakGlass: allowed({ reviewWithinSec: 60 }) } });
    await breakGlass(h);
    h.clock.advance(60);
    const [first, second] = await Promise.all([remindBreakGlassReviews(h), remindBreakGlassReviews(h)]);
    expect(first.length + second.length).toBe(1);
  });

  it('does not remind a break-glass reviewed in time', async () => {
    const h = await coreHarness({ scope: { breakGlass: allowed({ reviewWithinSec: 60 }) } });
    const { request } = await breakGlass(h);
    await reviewBreakGlass(h, { requestId: request.id, actor: slackUser('bob'), verdict: 'acknowledged' });
    h.clock.advance(120);
    expect(await remindBreakGlassReviews(h)).toEqual([]);
  });
});
