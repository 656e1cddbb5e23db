import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/slack/render/action-ids.ts';
import { ChatLifecycleNotifier } from '../../../src/app/chat/chat-lifecycle-notifier.ts';
import { DEFAULT_SWEEP_OPTIONS, sweepOnce } from '../../../src/app/sweep.ts';
import { buttonsOf, REVIEWERS, slackId, startSlackWorld, textOf, type SlackWorld } from './slack-harness.ts';

const ONCALL = 'C0ONCALL';

let world: SlackWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const sweep = (w: SlackWorld) => sweepOnce({ ...w.deps, notifier: new ChatLifecycleNotifier(w.deps) }, DEFAULT_SWEEP_OPTIONS);
const requestOf = async (w: SlackWorld, index = 0) => (await w.store.listRequests({ requesterId: 'alice' }))[index]!;
const ephemeralTo = (w: SlackWorld, user: string) => w.fake.callsTo('chat.postEphemeral').filter((c) => c.args.user === slackId(user)).map((c) => String(c.args.text));

describe('reminders in Slack', () => {
  it('replies once in the approval message’s thread, mentioning the approvers who can decide, however many sweeps run', async () => {
    world = await startSlackWorld();
    await world.command('alice', 'prod-db-admin 1h INC-1 slow queries');
    const request = await requestOf(world);
    const approval = await world.approvalMessage(request.id);
    world.clock.advance(1800);
    const w = world;
    const reports = await Promise.all([sweep(w), sweep(w), sweep(w)]);
    expect(reports.map((r) => r.remindedRequests).reduce((a, b) => a + b)).toBe(1);
    world.clock.advance(60);
    await sweep(world);
    const replies = [...world.fake.messages.values()].filter((m) => m.threadTs !== undefined);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ channel: REVIEWERS, threadTs: approval.ts });
    expect(textOf(replies[0]!.blocks)).toMatch(/Reminder:\*.*still waiting for a decision on \*prod-db-admin\*.*<@UBOB>, <@UCAROL>/s);
    // The approval message itself is not touched by the reminder.
    expect((await world.approvalMessage(request.id)).versions).toBe(approval.versions);
  });
});

describe('escalation in Slack', () => {
  it('posts the request in the escalation channel, where an escalation approver can then approve it and nobody else can', async () => {
    world = await startSlackWorld({ scope: { escalation: { afterSec: 1200, channels: [{ platform: 'slack', channelId: ONCALL }], approvers: ['dave'] } } });
    world.fake.addChannel(ONCALL);
    await world.command('alice', 'prod-db-admin 1h INC-2 outage');
    const request = await requestOf(world);
    await world.click('dave', ACTIONS.approve, request.id);
    expect(ephemeralTo(world, 'dave').at(-1)).toMatch(/not an approver/);
    expect((await world.store.getRequest(request.id))?.status).toBe('pending');

    world.clock.advance(1200);
    expect((await sweep(world)).escalatedRequests).toBe(1);
    const escalated = await world.approvalMessage(request.id, ONCALL);
    expect(buttonsOf(escalated.blocks)).toEqual([ACTIONS.approve, ACTIONS.deny]);
    expect(textOf(escalated.blocks)).toMatch(/Eligible approvers: Bob, Carol, Dave/);
    expect(textOf((await world.approvalMessage(request.id)).blocks)).toMatch(/Eligible approvers: Bob, Carol, Dave/);

    await world.click('erin', ACTIONS.approve, request.id, { channelId: ONCALL });
    expect(ephemeralTo(world, 'erin').at(-1)).toMatch(/not an approver/);
    await world.click('dave', ACTIONS.approve, request.id, { channelId: ONCALL });
    expect((await world.store.getRequest(request.id))?.status).toBe('approved');
    expect((await world.store.getGrantByRequest(request.id))?.status).toBe('active');
    // Both messages, the escalation one included, are updated in place.
    for (const channel of [REVIEWERS, ONCALL]) expect(buttonsOf((await world.approvalMessage(request.id, channel)).blocks)).toEqual([ACTIONS.revoke]);
  });
});

describe('context for the decision in Slack', () => {
  it('shows the requester’s history, last activity and who else holds the scope while the request is pending', async () => {
    world = await startSlackWorld();
    await world.command('bob', 'prod-db-admin 1h INC-3 migration');
    const bobs = (await world.store.listRequests({ requesterId: 'bob' }))[0]!;
    await world.click('carol', ACTIONS.approve, bobs.id);
    await world.command('alice', 'prod-db-admin 1h INC-4 first');
    const first = await requestOf(world);
    const text = textOf((await world.approvalMessage(first.id)).blocks);
    expect(text).toMatch(/\*First request\* by this person for this scope/);
    expect(text).toMatch(/\*Never seen before\*/);
    expect(text).toMatch(/Also holding it now \(1\): Bob\./);

    await world.click('carol', ACTIONS.deny, first.id);
    world.clock.advance(3 * 86_400);
    await world.command('alice', 'prod-db-admin 1h INC-5 again');
    const second = await requestOf(world, 1);
    const again = textOf((await world.approvalMessage(second.id)).blocks);
    expect(again).toMatch(/1 earlier request by this person for this scope in the last 30 days/);
    expect(again).toMatch(/Last seen 3 days before this request/);
  });
});

describe('Request again in Slack', () => {
  it('sends an expired request again in one click, once, and refuses anyone but its requester', async () => {
    world = await startSlackWorld();
    await world.command('alice', 'prod-db-admin 45m INC-6 nightly job');
    const expired = await requestOf(world);
    world.clock.advance(3600);
    expect((await sweep(world)).expiredRequests).toBe(1);
    const notice = world.dmsTo('alice').at(-1)!;
    expect(buttonsOf(notice.blocks)).toEqual([ACTIONS.requestAgain]);

    await world.click('bob', ACTIONS.requestAgain, expired.id, { channelId: 'DBOB' });
    expect(ephemeralTo(world, 'bob').at(-1)).toMatch(/Only the person who made that request can send it again/);
    expect(await world.store.listRequests({ requesterId: 'bob' })).toEqual([]);
    expect(await world.store.listRequests({ requesterId: 'alice' })).toHaveLength(1);

    await world.click('alice', ACTIONS.requestAgain, expired.id, { channelId: 'DALICE' });
    const again = await requestOf(world, 1);
    expect(again).toMatchObject({ scopeName: 'prod-db-admin', durationSec: 2700, reason: 'INC-6 nightly job', status: 'pending', source: 'slack' });
    expect(ephemeralTo(world, 'alice').at(-1)).toMatch(/was sent to the reviewers/);
    expect(buttonsOf((await world.approvalMessage(again.id)).blocks)).toEqual([ACTIONS.approve, ACTIONS.deny]);

    await world.click('alice', ACTIONS.requestAgain, expired.id, { channelId: 'DALICE' });
    expect(ephemeralTo(world, 'alice').at(-1)).toMatch(new RegExp(`already sent this request again as \`${again.id}\``));
    expect(await world.store.listRequests({ requesterId: 'alice' })).toHaveLength(2);
  });
});
