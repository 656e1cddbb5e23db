import { describe, expect, it } from 'vitest';
import { ChatLifecycleNotifier } from '../../../src/app/chat/chat-lifecycle-notifier.ts';
import { decideRequest } from '../../../src/app/chat/decide-request.ts';
import { MessageRefreshes } from '../../../src/app/chat/message-refreshes.ts';
import { submitRequest } from '../../../src/app/chat/submit-request.ts';
import { listRequests } from '../../../src/app/list-requests.ts';
import { DEFAULT_SWEEP_OPTIONS, sweepOnce } from '../../../src/app/sweep.ts';
import type { ScopeDefinition } from '../../../src/domain/scope.ts';
import { slackUser } from '../../support/core-harness.ts';
import { chatWorld, type ChatWorld } from './chat-world.ts';

const ask = (w: ChatWorld) => submitRequest(w.deps, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-1 investigating', source: 'slack' });
const sweep = (w: ChatWorld, deps = w.deps) => sweepOnce({ ...deps, notifier: new ChatLifecycleNotifier(deps) }, DEFAULT_SWEEP_OPTIONS);
const audited = async (w: ChatWorld, type: string) => (await w.store.listAudit(0, 500)).filter((r) => r.type === type);

const ESCALATING: Partial<ScopeDefinition> = { escalation: { afterSec: 1200, channels: [{ platform: 'slack', channelId: 'C-ESCALATION' }], approvers: ['dave'] } };

describe('reminding the reviewers of an undecided request', () => {
  it('says nothing before half the pending TTL, then replies once under every approval message naming who can decide', async () => {
    const w = await chatWorld();
    const { request } = await ask(w);
    w.clock.advance(1799);
    expect((await sweep(w)).remindedRequests).toBe(0);
    expect(w.slack.reminders).toEqual([]);
    w.clock.advance(1);
    expect((await sweep(w)).remindedRequests).toBe(1);
    expect(w.slack.reminders.map((r) => r.message.messageId)).toEqual(['slack-msg-1']);
    expect(w.teams.reminders.map((r) => r.message.messageId)).toEqual(['teams-msg-1']);
    expect(w.slack.reminders[0]!.reminder.approvers.map((a) => [a.principal.id, a.userId])).toEqual([
      ['bob', 'U-BOB'],
      ['carol', 'U-CAROL'],
    ]);
    // carol has no Teams account: named there, not mentioned.
    expect(w.teams.reminders[0]!.reminder.approvers.map((a) => a.userId)).toEqual([null, null]);
    w.clock.advance(600);
    expect((await sweep(w)).remindedRequests).toBe(0);
    expect(w.slack.reminders).toHaveLength(1);
    const [event] = await audited(w, 'request.reminded');
    expect(event).toMatchObject({ actor: 'system', requestId: request.id, data: { after: 1800 } });
    expect((await w.store.getRequest(request.id))?.remindedAt).toEqual(new Date(request.createdAt.getTime() + 1_800_000));
  });

  it('follows the scope’s remind_after instead of the default', async () => {
    const w = await chatWorld({ scope: { remindAfterSec: 300 } });
    await ask(w);
    w.clock.advance(300);
    expect((await sweep(w)).remindedRequests).toBe(1);
  });

  it('names only the approvers who have not reviewed yet', async () => {
    const w = await chatWorld({ scope: { approvalsRequired: 2 } });
    const { request } = await ask(w);
    await decideRequest(w.deps, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    w.clock.advance(1800);
    await sweep(w);
    expect(w.slack.reminders[0]!.reminder.approvers.map((a) => a.principal.id)).toEqual(['carol']);
  });

  it('does not remind a request that was decided, and lets an expiring one expire instead', async () => {
    const w = await chatWorld();
    const { request } = await ask(w);
    await decideRequest(w.deps, { requestId: request.id, actor: slackUser('bob'), decision: 'deny', comment: 'no' });
    const second = await ask(w);
    w.clock.advance(3600);
    const report = await sweep(w);
    expect(report).toMatchObject({ remindedRequests: 0, expiredRequests: 1 });
    expect((await w.store.getRequest(second.request.id))?.status).toBe('expired');
    expect(w.slack.reminders).toEqual([]);
  });

  it('reminds once when two instances sweep the same store at the same moment, and not again after a restart', async () => {
    const w = await chatWorld();
    await ask(w);
    w.clock.advance(1800);
    const other = { ...w.deps, refreshes: new MessageRefreshes() };
    const reports = await Promise.all([sweep(w), sweep(w, other), sweep(w)]);
    expect(reports.map((r) => r.remindedRequests).reduce((a, b) => a + b)).toBe(1);
    expect(w.slack.reminders).toHaveLength(1);
    const restarted = { ...w.deps, refreshes: new MessageRefreshes() };
    await sweep(w, restarted);
    expect(w.slack.reminders).toHaveLength(1);
    expect(await audited(w, 'request.reminded')).toHaveLength(1);
  });
});

describe('escalating an undecided request', () => {
  it('refuses an escalation approver before the escalation and accepts them after it', async () => {
    const w = await chatWorld({ scope: ESCALATING });
    const { request } = await ask(w);
    await expect(decideRequest(w.deps, { requestId: request.id, actor: slackUser('dave'), decision: 'approve' })).rejects.toMatchObject({ code: 'not_an_approver' });
    w.clock.advance(1199);
    expect((await sweep(w)).escalatedRequests).toBe(0);
    w.clock.advance(1);
    expect((await sweep(w)).escalatedRequests).toBe(1);
    expect(w.slack.posted.map((p) => p.channelId)).toEqual(['C-REVIEWERS', 'C-ESCALATION']);
    expect(w.slack.posted[1]!.view.eligibleApprovers.map((p) => p.id)).toEqual(['bob', 'carol', 'dave']);
    // The first message now lists dave too.
    expect(w.slack.lastUpdateOf(request.id)?.eligibleApprovers.map((p) => p.id)).toEqual(['bob', 'carol', 'dave']);
    expect(await w.store.listPostedMessages(request.id)).toEqual(expect.arrayContaining([expect.objectContaining({ channelId: 'C-ESCALATION' })]));
    const [event] = await audited(w, 'request.escalated');
    expect(event).toMatchObject({ actor: 'system', requestId: request.id, data: { approvers: ['dave'] } });
    // erin is an admin but no approver of any kind: still refused.
    await expect(decideRequest(w.deps, { requestId: request.id, actor: slackUser('erin'), decision: 'approve' })).rejects.toMatchObject({ code: 'not_an_approver' });
    const decided = await decideRequest(w.deps, { requestId: request.id, actor: slackUser('dave'), decision: 'approve' });
    expect(decided.outcome.kind).toBe('approved');
  });

  it('escalates once however often and by however many instances it is swept', async () => {
    const w = await chatWorld({ scope: ESCALATING });
    await ask(w);
    w.clock.advance(1200);
    await Promise.all([sweep(w), sweep(w, { ...w.deps, refreshes: new MessageRefreshes() })]);
    w.clock.advance(60);
    await sweep(w);
    expect(w.slack.posted.filter((p) => p.channelId === 'C-ESCALATION')).toHaveLength(1);
    expect(await audited(w, 'request.escalated')).toHaveLength(1);
  });

  it('shows escalated requests, and only those, in an escalation approver’s queue', async () => {
    const w = await chatWorld({ scope: ESCALATING });
    const { request } = await ask(w);
    expect(await listRequests(w.deps, slackUser('dave'), { role: 'approver', statuses: ['pending'] })).toEqual([]);
    w.clock.advance(1200);
    await sweep(w);
    expect((await listRequests(w.deps, slackUser('dave'), { role: 'approver', statuses: ['pending'] })).map((v) => v.request.id)).toEqual([request.id]);
  });

  it('reminds before it escalates when both fall due in one sweep, and the reminder names the approvers of then', async () => {
    const w = await chatWorld({ scope: { ...ESCALATING, remindAfterSec: 600 } });
    await ask(w);
    w.clock.advance(1500);
    const report = await sweep(w);
    expect(report).toMatchObject({ remindedRequests: 1, escalatedRequests: 1 });
    expect(w.slack.reminders.map((r) => r.message.channelId)).toEqual(['C-REVIEWERS']);
  });
});
