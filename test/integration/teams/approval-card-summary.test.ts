import { afterEach, describe, expect, it } from 'vitest';
import { VERBS } from '../../../src/adapters/teams/render/verbs.ts';
import { REVIEWERS_CHANNEL } from '../../fakes/teams/teams-sender.ts';
import { cardText, startTeamsWorld, type TeamsWorld } from './teams-harness.ts';

let world: TeamsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** The activity's summary and the card's fallback text both say the state the card's body says. */
async function expectSummaryToMatchCard(w: TeamsWorld, requestId: string, state: RegExp): Promise<void> {
  const { card, stored } = await w.approvalCard(requestId);
  const latest = stored.versions.at(-1)!;
  const summary = String(latest.summary);
  expect(summary).toMatch(state);
  expect(card.fallbackText).toBe(summary);
  const said = summary.slice(summary.indexOf(' — ') + ' — '.length);
  expect(cardText(card)).toContain(said);
}

describe('the summary and fallback text of the approval card', () => {
  it('say the state the card says, as the request is approved and its grant ended', async () => {
    world = await startTeamsWorld();
    await world.say('alice', 'elevate prod-db-admin 1h INC-8 hotfix');
    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    await expectSummaryToMatchCard(world, request.id, /^Alice asks for prod-db-admin for 1h — .*Waiting for 1 more approval/);

    const { stored } = await world.approvalCard(request.id);
    await world.click('bob', { channelId: REVIEWERS_CHANNEL, messageId: stored.id }, VERBS.approve, { requestId: request.id });
    await expectSummaryToMatchCard(world, request.id, /Grant active/);

    const grant = (await world.store.getGrantByRequest(request.id))!;
    await world.click('alice', { channelId: null }, VERBS.endGrant, { grantId: grant.id });
    expect((await world.store.getGrant(grant.id))?.status).toBe('revoked');
    await expectSummaryToMatchCard(world, request.id, /Revoked.*the requester ended it early/);
  });
});
