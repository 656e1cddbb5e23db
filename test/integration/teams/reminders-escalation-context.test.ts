import { afterEach, describe, expect, it } from 'vitest';
import { VERBS } from '../../../src/adapters/teams/render/verbs.ts';
import { ChatLifecycleNotifier } from '../../../src/app/chat/chat-lifecycle-notifier.ts';
import { DEFAULT_SWEEP_OPTIONS, sweepOnce } from '../../../src/app/sweep.ts';
import { REVIEWERS_CHANNEL, teamsUser } from '../../fakes/teams/teams-sender.ts';
import { cardOf, cardText, startTeamsWorld, verbsOf, type TeamsWorld } from './teams-harness.ts';

const ONCALL = '19:oncall@thread.tacv2';

let world: TeamsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

type CardAnswer = { statusCode: number; type: string; value: unknown };
const sweep = (w: TeamsWorld) => sweepOnce({ ...w.deps, notifier: new ChatLifecycleNotifier(w.deps) }, DEFAULT_SWEEP_OPTIONS);
/** A card's text with its runs joined, as a reader sees each paragraph. */
const flat = (card: unknown) => cardText(card).replace(/\n/g, '');
const requestOf = async (w: TeamsWorld, index = 0) => (await w.store.listRequests({ requesterId: 'alice' }))[index]!;

describe('reminders in Teams', () => {
  it('replies once in the approval card’s thread, naming the approvers who can decide', async () => {
    world = await startTeamsWorld();
    await world.say('alice', 'elevate prod-db-admin 1h INC-1 slow queries');
    const request = await requestOf(world);
    const { stored } = await world.approvalCard(request.id);
    world.clock.advance(1800);
    expect((await sweep(world)).remindedRequests).toBe(1);
    world.clock.advance(60);
    await sweep(world);
    await world.adapter.idle();
    const thread = `${REVIEWERS_CHANNEL};messageid=${stored.id}`;
    const replies = world.bf.calls.filter((c) => c.method === 'POST' && c.path.endsWith(`/conversations/${thread}/activities/${stored.id}`));
    expect(replies.map((c) => c.status)).toEqual([201]);
    expect(replies[0]!.body).toMatchObject({ replyToId: stored.id, conversation: { id: thread } });
    expect(flat(cardOf(replies[0]!.body!))).toMatch(/Reminder:.*still waiting for a decision on prod-db-admin.*Who can decide: Bob, Carol\./s);
    // The card itself is left as it was.
    expect((await world.approvalCard(request.id)).stored.versions).toHaveLength(stored.versions.length);
  });
});

describe('escalation in Teams', () => {
  it('posts the card in the escalation channel, where an escalation approver can then approve and nobody else can', async () => {
    world = await startTeamsWorld({ scope: { escalation: { afterSec: 1200, channels: [{ platform: 'teams', channelId: ONCALL }], approvers: ['dave'] } } });
    expect((await world.sender.botAdded(teamsUser('erin'), ONCALL)).status).toBe(200);
    await world.say('alice', 'elevate prod-db-admin 1h INC-2 outage');
    const request = await requestOf(world);
    const first = await world.approvalCard(request.id);
    const early = (await world.click('dave', { channelId: REVIEWERS_CHANNEL, messageId: first.stored.id }, VERBS.approve, { requestId: request.id })).body as CardAnswer;
    expect(String(early.value)).toMatch(/not an approver/);

    world.clock.advance(1200);
    expect((await sweep(world)).escalatedRequests).toBe(1);
    await world.adapter.idle();
    const escalated = await world.approvalCard(request.id, ONCALL);
    expect(verbsOf(escalated.card)).toEqual([VERBS.approve, VERBS.deny]);
    expect(cardText(escalated.card)).toMatch(/Eligible approvers: Bob, Carol, Dave/);
    expect(cardText((await world.approvalCard(request.id)).card)).toMatch(/Eligible approvers: Bob, Carol, Dave/);

    const where = { channelId: ONCALL, messageId: escalated.stored.id };
    const refused = (await world.click('erin', where, VERBS.approve, { requestId: request.id })).body as CardAnswer;
    expect(String(refused.value)).toMatch(/not an approver/);
    await world.click('dave', where, VERBS.approve, { requestId: request.id });
    expect((await world.store.getRequest(request.id))?.status).toBe('approved');
    expect((await world.store.getGrantByRequest(request.id))?.status).toBe('active');
    await world.adapter.idle();
    for (const channel of [REVIEWERS_CHANNEL, ONCALL]) expect(verbsOf((await world.approvalCard(request.id, channel)).card)).toEqual([VERBS.revoke]);
  });
});

describe('context for the decision in Teams', () => {
  it('shows the requester’s history, last activity and who else holds the scope on the card, also after a first approval', async () => {
    world = await startTeamsWorld({ scope: { approvalsRequired: 2, approvers: ['bob', 'carol', 'erin'] } });
    await world.say('alice', 'elevate prod-db-admin 1h INC-3 first');
    const request = await requestOf(world);
    const { card, stored } = await world.approvalCard(request.id);
    expect(flat(card)).toMatch(/First request by this person for this scope/);
    expect(flat(card)).toMatch(/Never seen before/);
    expect(flat(card)).toMatch(/Nobody else holds this scope right now/);
    // The card that replaces the clicked one keeps the context while the request still waits.
    const answer = (await world.click('bob', { channelId: REVIEWERS_CHANNEL, messageId: stored.id }, VERBS.approve, { requestId: request.id })).body as CardAnswer;
    expect(flat(answer.value)).toMatch(/First request by this person for this scope/);
  });
});

describe('Request again in Teams', () => {
  it('sends an expired request again in one click, once, and refuses anyone but its requester', async () => {
    world = await startTeamsWorld();
    await world.say('alice', 'elevate prod-db-admin 45m INC-6 nightly job');
    const expired = await requestOf(world);
    world.clock.advance(3600);
    expect((await sweep(world)).expiredRequests).toBe(1);
    await world.adapter.idle();
    const notice = world.personalActivities('alice').filter((a) => a.attachments).map(cardOf).at(-1)!;
    expect(verbsOf(notice)).toEqual([VERBS.requestAgain]);

    const stolen = (await world.click('bob', { channelId: null }, VERBS.requestAgain, { requestId: expired.id })).body as CardAnswer;
    expect(stolen.type).toBe('application/vnd.microsoft.activity.message');
    expect(String(stolen.value)).toMatch(/Only the person who made that request can send it again/);
    expect(await world.store.listRequests({ requesterId: 'bob' })).toEqual([]);

    const clicked = (await world.click('alice', { channelId: null }, VERBS.requestAgain, { requestId: expired.id })).body as CardAnswer;
    const again = await requestOf(world, 1);
    expect(again).toMatchObject({ scopeName: 'prod-db-admin', durationSec: 2700, reason: 'INC-6 nightly job', status: 'pending', source: 'teams' });
    expect(cardText(clicked.value)).toMatch(/was sent to the reviewers/);
    expect(verbsOf((await world.approvalCard(again.id)).card)).toEqual([VERBS.approve, VERBS.deny]);

    const twice = (await world.click('alice', { channelId: null }, VERBS.requestAgain, { requestId: expired.id })).body as CardAnswer;
    expect(cardText(twice.value)).toMatch(new RegExp(`already sent this request again as ${again.id}`));
    expect(await world.store.listRequests({ requesterId: 'alice' })).toHaveLength(2);
  });
});
