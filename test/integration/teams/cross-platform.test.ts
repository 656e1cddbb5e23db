import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/slack/render/action-ids.ts';
import { VERBS } from '../../../src/adapters/teams/render/verbs.ts';
import { buttonClick } from '../../fakes/slack/slack-sender.ts';
import { REVIEWERS_CHANNEL } from '../../fakes/teams/teams-sender.ts';
import { textOf } from '../slack/slack-harness.ts';
import { cardText, SLACK_REVIEWERS, startTeamsWorld, verbsOf, type TeamsWorld } from './teams-harness.ts';

let world: TeamsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function slackMessage(w: TeamsWorld, requestId: string) {
  const posted = (await w.store.listPostedMessages(requestId)).find((m) => m.platform === 'slack');
  if (!posted) throw new Error('no Slack message');
  return w.slack!.fake.message(SLACK_REVIEWERS, posted.messageId);
}

describe('a scope mapped to a Slack and a Teams channel at once', () => {
  it('posts the request in both, and an approval in Teams updates the Slack message', async () => {
    world = await startTeamsWorld({ withSlack: true });
    const said = await world.say('alice', 'elevate prod-db-admin 1h INC-77 both platforms');
    expect(String(world.personalActivities('alice').at(-1)?.text)).toMatch(/2 channels in (Teams and Slack|Slack and Teams)/);
    expect(said.status).toBe(200);
    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    const { stored } = await world.approvalCard(request.id);
    expect(textOf((await slackMessage(world, request.id)).blocks)).toContain('INC-77 both platforms');

    await world.click('bob', { channelId: REVIEWERS_CHANNEL, messageId: stored.id }, VERBS.approve, { requestId: request.id });
    expect((await world.store.getGrantByRequest(request.id))?.status).toBe('active');
    const slack = await slackMessage(world, request.id);
    expect(slack.versions.length).toBeGreaterThan(1);
    expect(textOf(slack.blocks)).toMatch(/Approved\* by Bob \(1\/1\)/);
    expect(textOf(slack.blocks)).toMatch(/Grant active/);
  });

  it('an approval in Slack updates the Teams card', async () => {
    world = await startTeamsWorld({ withSlack: true });
    await world.say('alice', 'elevate prod-db-admin 1h INC-78 from slack');
    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    const click = await world.slack!.sender.interaction(
      buttonClick({ userId: 'UCAROL', actionId: ACTIONS.approve, value: request.id, channelId: SLACK_REVIEWERS, triggerId: world.slack!.fake.triggerId(), responseUrl: world.slack!.fake.responseUrl() }),
    );
    expect(click.status).toBe(200);
    await world.slack!.adapter.idle();
    await world.adapter.idle();
    const { card, stored } = await world.approvalCard(request.id);
    expect(stored.versions.length).toBeGreaterThan(1);
    expect(cardText(card)).toMatch(/Approved by Carol \(1\/1\)/);
    expect(verbsOf(card)).toEqual([VERBS.revoke]);
  });
});
