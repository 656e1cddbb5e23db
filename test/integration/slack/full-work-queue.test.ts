import { afterEach, describe, expect, it } from 'vitest';
import { slackId, startSlackWorld, type SlackWorld } from './slack-harness.ts';

let world: SlackWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('a full follow-up queue through Bolt', () => {
  it('answers /elevate at once that Elevate is busy and stores nothing, rather than piling up work', async () => {
    world = await startSlackWorld({ workLimits: { queued: 0 } });
    const sent = await world.sender.command({ userId: slackId('alice'), text: 'prod-db-admin 1h INC-9 too busy', responseUrl: world.fake.responseUrl(), triggerId: world.fake.triggerId() });
    await world.adapter.idle();
    expect(sent.status).toBe(200);
    expect(JSON.parse(sent.body)).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/handling a burst.*nothing was stored.*try again/) });
    expect(await world.store.listRequests({ requesterId: 'alice' })).toEqual([]);
    expect(world.fake.callsTo('chat.postMessage')).toEqual([]);
  });
});
