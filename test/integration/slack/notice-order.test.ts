import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/slack/render/action-ids.ts';
import { buttonClick } from '../../fakes/slack/slack-sender.ts';
import { eventually } from '../../support/eventually.ts';
import { REVIEWERS, slackId, startSlackWorld, type SlackWorld } from './slack-harness.ts';

let world: SlackWorld | undefined;
let releaseHeld: (() => void) | undefined;
afterEach(async () => {
  releaseHeld?.();
  releaseHeld = undefined;
  await world?.close();
  world = undefined;
});

const SECOND = 'C0SECOND';

/** What Slack received from Elevate that alice reads, in the order it arrived (response URLs and Web API calls alike). */
function toldAlice(w: SlackWorld): string[] {
  const said: string[] = [];
  const aliceDm = `channel=D${slackId('alice').slice(1)}`;
  for (const raw of w.fake.rawBodies) {
    let text: string;
    try {
      text = JSON.stringify(JSON.parse(raw));
    } catch {
      text = decodeURIComponent(raw.replace(/\+/g, ' '));
    }
    if (text.includes('sent to the reviewers')) said.push('confirmation');
    else if (text.includes(aliceDm) && text.includes('was decided')) said.push('decision');
    else if (text.includes(aliceDm) && text.includes('is active until')) said.push('grant');
  }
  return said;
}

describe('notices to the requester about one request', () => {
  it('arrive in the order of the events when an approver decides before the request is fully published', async () => {
    world = await startSlackWorld();
    world.fake.addChannel(SECOND);
    await world.store.transaction((tx) => tx.addChannelMapping({ platform: 'slack', channelId: SECOND, scopeName: 'prod-db-admin' }));
    // The approval message is in the first channel; the second post is still in flight.
    const secondPost = world.fake.hold('chat.postMessage', (args) => args.channel === SECOND);
    releaseHeld = secondPost.release;
    const sent = await world.sender.command({ userId: slackId('alice'), text: 'prod-db-admin 1h INC-3 ordered', responseUrl: world.fake.responseUrl(), triggerId: world.fake.triggerId() });
    expect(sent.status).toBe(200);
    await secondPost.arrived;
    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;

    const click = await world.sender.interaction(buttonClick({ userId: slackId('bob'), actionId: ACTIONS.approve, value: request.id, channelId: REVIEWERS, triggerId: world.fake.triggerId(), responseUrl: world.fake.responseUrl() }));
    expect(click.status).toBe(200);
    await eventually(async () => (await world!.store.getGrantByRequest(request.id))?.status === 'active');
    expect(toldAlice(world)).toEqual([]);

    secondPost.release();
    await world.adapter.idle();
    expect(toldAlice(world)).toEqual(['confirmation', 'decision', 'grant']);
  });
});
