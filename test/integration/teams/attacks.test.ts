import { afterEach, describe, expect, it } from 'vitest';
import { VERBS } from '../../../src/adapters/teams/render/verbs.ts';
import { REVIEWERS_CHANNEL } from '../../fakes/teams/teams-sender.ts';
import { cardText, startTeamsWorld, type TeamsWorld } from './teams-harness.ts';

let world: TeamsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function pendingRequest(w: TeamsWorld) {
  await w.say('alice', 'elevate prod-db-admin 1h INC-9 investigate');
  const request = (await w.store.listRequests({ requesterId: 'alice' }))[0]!;
  const { stored } = await w.approvalCard(request.id);
  return { request, where: { channelId: REVIEWERS_CHANNEL, messageId: stored.id } };
}

type MessageAnswer = { statusCode: number; type: string; value: string };

describe('attacks on the Teams approval card', () => {
  it('refuses self-approval, telling only the clicker, and changes nothing', async () => {
    world = await startTeamsWorld({ scope: { approvers: ['alice', 'bob'] } });
    const { request, where } = await pendingRequest(world);
    const click = await world.click('alice', where, VERBS.approve, { requestId: request.id });
    const answer = click.body as MessageAnswer;
    expect(answer.type).toBe('application/vnd.microsoft.activity.message');
    expect(answer.value).toMatch(/own request/i);
    expect((await world.store.getRequest(request.id))?.status).toBe('pending');
    expect(await world.store.listReviews(request.id)).toEqual([]);
    expect((await world.approvalCard(request.id)).stored.versions).toHaveLength(1);
  });

  it('refuses a click by someone who is not an approver', async () => {
    world = await startTeamsWorld();
    const { request, where } = await pendingRequest(world);
    const answer = (await world.click('dave', where, VERBS.approve, { requestId: request.id })).body as MessageAnswer;
    expect(answer.value).toMatch(/not an approver|cannot approve|not allowed/i);
    expect((await world.store.getRequest(request.id))?.status).toBe('pending');
  });

  it('refuses an unlinked Teams account', async () => {
    world = await startTeamsWorld();
    const { request, where } = await pendingRequest(world);
    await world.store.transaction((tx) => tx.deleteIdentity('teams', 'aad-bob'));
    const answer = (await world.click('bob', where, VERBS.approve, { requestId: request.id })).body as MessageAnswer;
    expect(answer.value).toMatch(/not linked/);
    expect((await world.store.getRequest(request.id))?.status).toBe('pending');
  });

  it('issues once when two approvers click at the same moment, and refuses a later double click', async () => {
    world = await startTeamsWorld({ scope: { approvalsRequired: 1 } });
    const { request, where } = await pendingRequest(world);
    const [one, two] = await Promise.all([
      world.sender.execute({ id: '29:bob-teams-id', aadObjectId: 'aad-bob', name: 'Bob' }, where, VERBS.approve, { requestId: request.id }),
      world.sender.execute({ id: '29:carol-teams-id', aadObjectId: 'aad-carol', name: 'Carol' }, where, VERBS.approve, { requestId: request.id }),
    ]);
    await world.adapter.idle();
    expect([one.status, two.status]).toEqual([200, 200]);
    expect((await world.store.listReviews(request.id)).length).toBe(1);
    expect((await world.store.listGrants({ requestIds: [request.id] })).length).toBe(1);
    const again = (await world.click('bob', where, VERBS.approve, { requestId: request.id })).body as MessageAnswer;
    expect(again.type).toBe('application/vnd.microsoft.activity.message');
    expect((await world.store.listGrants({ requestIds: [request.id] })).length).toBe(1);
  });

  it('refuses an approval after the request expired', async () => {
    world = await startTeamsWorld();
    const { request, where } = await pendingRequest(world);
    world.clock.advance(2 * 3600);
    const answer = (await world.click('bob', where, VERBS.approve, { requestId: request.id })).body as MessageAnswer;
    expect(answer.value).toMatch(/expired/i);
    expect(await world.store.getGrantByRequest(request.id)).toBeNull();
  });

  it('shows markdown and mention syntax in a reason as typed, never as formatting', async () => {
    world = await startTeamsWorld();
    await world.say('alice', 'elevate prod-db-admin 1h [click](https://evil.example) **urgent** <at>General</at>');
    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    const { card } = await world.approvalCard(request.id);
    const reasonRun = JSON.stringify(card);
    expect(cardText(card)).toContain('[click](https://evil.example) **urgent**');
    // The reason lives in a TextRun (never markdown-rendered), not in a TextBlock.
    expect(reasonRun).toMatch(/"type":"TextRun","text":"\[click\]/);
  });

  it('does not show the token dialog to anyone but the requester', async () => {
    world = await startTeamsWorld();
    const { request, where } = await pendingRequest(world);
    await world.click('bob', where, VERBS.approve, { requestId: request.id });
    const grant = (await world.store.getGrantByRequest(request.id))!;
    const stolen = await world.sender.taskFetch({ id: '29:bob-teams-id', aadObjectId: 'aad-bob', name: 'Bob' }, { verb: VERBS.revealToken, grantId: grant.id });
    expect(stolen.body).toEqual({ task: { type: 'message', value: 'Only the requester can see the token of a grant.' } });
  });
});
