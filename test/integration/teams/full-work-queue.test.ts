import { afterEach, describe, expect, it, vi } from 'vitest';
import { REQUEST_INPUTS, VERBS } from '../../../src/adapters/teams/render/verbs.ts';
import { StoredConversationReferences } from '../../../src/app/chat/stored-conversation-references.ts';
import { REVIEWERS_CHANNEL, teamsUser } from '../../fakes/teams/teams-sender.ts';
import { cardText, startTeamsWorld, type TeamsWorld } from './teams-harness.ts';

let world: TeamsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const BUSY = /handling a burst.*nothing was stored.*try again in a minute/;
type CardAnswer = { statusCode: number; type: string; value: unknown };

/** New cards the bot posted in the reviewer channel (threads, not replies or updates). */
const channelPosts = (w: TeamsWorld) => w.bf.calls.filter((c) => c.method === 'POST' && c.path.endsWith(`/v3/conversations/${REVIEWERS_CHANNEL}/activities`) && c.status === 201);

/** A pending request of alice's whose card is in the reviewer channel. */
async function aPostedRequest(w: TeamsWorld, reason = 'INC-9 posted'): Promise<{ requestId: string; messageId: string }> {
  await w.say('alice', `elevate prod-db-admin 1h ${reason}`);
  const request = (await w.store.listRequests({ requesterId: 'alice' })).find((r) => r.reason === reason);
  if (!request) throw new Error('the request was not made');
  return { requestId: request.id, messageId: (await w.approvalCard(request.id)).stored.id };
}

describe('Teams follow-ups through botbuilder', () => {
  it('answers a request at once that Elevate is busy when the requests lane is full, and stores nothing', async () => {
    world = await startTeamsWorld({ workLimits: { requests: { queued: 0 } } });
    const sent = await world.sender.message(teamsUser('alice'), 'elevate prod-db-admin 1h INC-9 too busy');
    // Answered within the activity's own turn: the reply is there when Teams gets its 200.
    expect(sent.status).toBe(200);
    expect(String(world.personalActivities('alice').at(-1)?.text)).toMatch(BUSY);

    await world.adapter.idle();
    expect(await world.store.listRequests({ requesterId: 'alice' })).toEqual([]);
    expect(await new StoredConversationReferences(world.store).get('teams', 'personal', teamsUser('alice').aadObjectId)).toBeNull();
    expect(channelPosts(world)).toEqual([]);
  });

  it('acknowledges a burst of requests at once and then completes every one of them, a few at a time', async () => {
    world = await startTeamsWorld({ workLimits: { requests: { concurrency: 2, queued: 50 } } });
    const w = world;
    const sent = await Promise.all(Array.from({ length: 12 }, (_, i) => w.sender.message(teamsUser(i % 2 ? 'alice' : 'dave'), `elevate prod-db-admin 1h INC-${i} burst`)));
    expect(sent.map((s) => s.status)).toEqual(Array(12).fill(200));
    await w.adapter.idle();

    const requests = [...(await w.store.listRequests({ requesterId: 'alice' })), ...(await w.store.listRequests({ requesterId: 'dave' }))];
    expect(requests.map((r) => r.reason).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `INC-${i} burst`).sort());
    expect(channelPosts(w)).toHaveLength(12);
    for (const person of ['alice', 'dave'] as const) {
      const confirmations = w.personalActivities(person).filter((a) => /sent to the reviewers/.test(String(a.text)));
      expect(confirmations).toHaveLength(6);
    }
  });

  it('answers an Approve click with "busy" in the invoke when the decisions lane is full, and records no review', async () => {
    world = await startTeamsWorld({ workLimits: { decisions: { queued: 0 } } });
    const { requestId, messageId } = await aPostedRequest(world);
    const click = await world.click('bob', { channelId: REVIEWERS_CHANNEL, messageId }, VERBS.approve, { requestId });
    const answer = click.body as CardAnswer;
    expect(answer).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: expect.stringMatching(BUSY) });
    expect((await world.store.getRequest(requestId))?.status).toBe('pending');
    expect(await world.store.listReviews(requestId)).toEqual([]);
    expect((await world.approvalCard(requestId)).stored.versions).toHaveLength(1);
  });

  it('leaves the request form as it was and says "busy" when the requests lane is full, storing nothing', async () => {
    world = await startTeamsWorld({ workLimits: { requests: { queued: 0 } } });
    const click = await world.click('alice', { channelId: null }, VERBS.request, { [REQUEST_INPUTS.scope]: 'prod-db-admin', [REQUEST_INPUTS.duration]: '1h', [REQUEST_INPUTS.reason]: 'INC-5 from the form' });
    expect(click.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: expect.stringMatching(BUSY) });
    expect(await world.store.listRequests({ requesterId: 'alice' })).toEqual([]);
  });

  it('answers a request form still queued at the invoke deadline with "queued", then tells the outcome in the 1:1 chat', async () => {
    world = await startTeamsWorld({ env: { TEAMS_REQUEST_TIMEOUT_MS: '100' } });
    const w = world;
    await w.say('alice', 'help'); // the 1:1 chat the outcome goes to
    const held = w.bf.hold((call) => call.method === 'POST' && call.conversationId === REVIEWERS_CHANNEL && call.activityId === undefined);
    const click = w.sender.execute(teamsUser('alice'), { channelId: null }, VERBS.request, { [REQUEST_INPUTS.scope]: 'prod-db-admin', [REQUEST_INPUTS.duration]: '1h', [REQUEST_INPUTS.reason]: 'INC-6 queued form' });
    await held.arrived;
    const answer = (await click).body as { type: string; value: Record<string, unknown> };
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(answer.value)).toMatch(/queued behind a burst.*tell you here/);

    held.release();
    await w.adapter.idle();
    expect(String(w.personalActivities('alice').at(-1)?.text)).toMatch(/sent to the reviewers/);
    expect((await w.store.listRequests({ requesterId: 'alice' })).map((r) => r.reason)).toEqual(['INC-6 queued form']);
  });
});

describe('the Teams decisions lane', () => {
  it('decides a click, answers it with the decided card and updates the channel card while every request slot is held by a card post that does not return', async () => {
    // The invoke waits for the decision as long as Teams allows, so its answer shows the outcome on any machine.
    world = await startTeamsWorld({ workLimits: { requests: { concurrency: 1 } }, env: { TEAMS_REQUEST_TIMEOUT_MS: '14000' } });
    const w = world;
    const { requestId, messageId } = await aPostedRequest(w);

    // From now on, new cards in the reviewer channel hang: the one request slot stays taken and the rest wait.
    const held = w.bf.hold((call) => call.method === 'POST' && call.conversationId === REVIEWERS_CHANNEL && call.activityId === undefined);
    for (const n of [1, 2, 3]) expect((await w.sender.message(teamsUser('dave'), `elevate prod-db-admin 1h INC-${n} burst`)).status).toBe(200);
    await held.arrived;

    const click = await w.sender.execute(teamsUser('bob'), { channelId: REVIEWERS_CHANNEL, messageId }, VERBS.approve, { requestId });
    const answer = click.body as { type: string; value: Record<string, unknown> };
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(answer.value)).toMatch(/Approved by Bob \(1\/1\)/);
    expect((await w.store.getGrantByRequest(requestId))?.status).toBe('active');
    await vi.waitFor(async () => expect(cardText((await w.approvalCard(requestId)).card)).toMatch(/Grant active/), { timeout: 10_000, interval: 20 });
    // The burst is still held: the decision did not wait for it.
    expect(channelPosts(w)).toHaveLength(1);

    held.release();
    await w.adapter.idle();
    expect(channelPosts(w)).toHaveLength(4);
    expect(await w.store.listRequests({ requesterId: 'dave' })).toHaveLength(3);
  });
});
