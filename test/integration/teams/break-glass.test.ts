import { afterEach, describe, expect, it } from 'vitest';
import { VERBS } from '../../../src/adapters/teams/render/verbs.ts';
import type { BreakGlassPolicy } from '../../../src/domain/scope.ts';
import { REVIEWERS_CHANNEL, teamsUser } from '../../fakes/teams/teams-sender.ts';
import { cardText, startTeamsWorld, verbsOf, type TeamsWorld } from './teams-harness.ts';

const SECURITY = '19:security@thread.tacv2';
const rules: BreakGlassPolicy = { allowed: true, maxDurationSec: null, broadcast: [{ platform: 'teams', channelId: SECURITY }], reviewWithinSec: 3600 };

let world: TeamsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function breakGlassWorld(): Promise<TeamsWorld> {
  const w = await startTeamsWorld({ scope: { approvers: ['alice', 'bob', 'carol'], breakGlass: rules } });
  expect((await w.sender.botAdded(teamsUser('erin'), SECURITY)).status).toBe(200);
  return w;
}

const said = (body: unknown) => JSON.stringify(body);
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('break-glass through Teams', () => {
  it('grants at once, announces it in the reviewer and broadcast channels, refuses its requester’s acknowledgement and takes an approver’s', async () => {
    world = await breakGlassWorld();
    await world.say('alice', 'break-glass prod-db-admin 30m INC-9 production is down');
    const replies = world.personalActivities('alice').map((a) => String(a.text ?? ''));
    expect(replies.join('\n')).toMatch(/Break-glass: you have prod-db-admin for 30m .* without approval\. 2 channels were told, and an approver will review it by/);
    const [request] = await world.store.listRequests({ requesterId: 'alice' });
    expect((await world.store.getGrantByRequest(request!.id))?.status).toBe('active');

    for (const channel of [REVIEWERS_CHANNEL, SECURITY]) {
      const { card } = await world.approvalCard(request!.id, channel);
      expect(flat(cardText(card))).toMatch(/🚨 Break-glass: prod-db-admin/);
      expect(flat(cardText(card))).toMatch(/BREAK-GLASS — Alice took this without approval/);
      expect(verbsOf(card)).toEqual([VERBS.acknowledgeBreakGlass, VERBS.flagBreakGlass, VERBS.revoke]);
    }
    const { stored } = await world.approvalCard(request!.id);
    const own = await world.click('alice', { channelId: REVIEWERS_CHANNEL, messageId: stored.id }, VERBS.acknowledgeBreakGlass, { requestId: request!.id });
    expect(said(own.body)).toMatch(/cannot review your own break-glass/);
    const acknowledged = await world.click('bob', { channelId: REVIEWERS_CHANNEL, messageId: stored.id }, VERBS.acknowledgeBreakGlass, { requestId: request!.id });
    expect(flat(cardText((acknowledged.body as { value: unknown }).value))).toMatch(/Acknowledged by Bob/);
    expect((await world.store.getRequest(request!.id))?.breakGlass).toMatchObject({ verdict: 'acknowledged', reviewedBy: 'bob' });
    expect(verbsOf((await world.approvalCard(request!.id, SECURITY)).card)).toEqual([VERBS.revoke]);
  });

  it('posts a flag to the broadcast channel as a new card', async () => {
    world = await breakGlassWorld();
    await world.say('alice', 'break-glass prod-db-admin 30m INC-9 production is down');
    const [request] = await world.store.listRequests({ requesterId: 'alice' });
    const before = (await world.approvalCard(request!.id, SECURITY)).stored.id;
    const { stored } = await world.approvalCard(request!.id);
    await world.click('carol', { channelId: REVIEWERS_CHANNEL, messageId: stored.id }, VERBS.flagBreakGlass, { requestId: request!.id });
    const after = await world.approvalCard(request!.id, SECURITY);
    expect(after.stored.id).not.toBe(before);
    expect(flat(cardText(after.card))).toMatch(/FLAGGED by Carol/);
    expect(await world.store.listAudit(0, 200)).toContainEqual(expect.objectContaining({ type: 'break_glass.flagged', actor: 'carol' }));
  });

  it('refuses break-glass on a scope that does not allow it, and without a reason', async () => {
    world = await startTeamsWorld();
    await world.say('alice', 'break-glass prod-db-admin 30m INC-9 production is down');
    await world.say('alice', 'break-glass prod-db-admin 30m');
    const replies = world.personalActivities('alice').map((a) => String(a.text ?? ''));
    expect(replies.join('\n')).toMatch(/does not allow break-glass/);
    expect(replies.join('\n')).toMatch(/Break-glass needs a reason/);
    expect(await world.store.listRequests({})).toEqual([]);
  });
});
