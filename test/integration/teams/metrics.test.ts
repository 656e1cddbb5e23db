import { afterEach, describe, expect, it } from 'vitest';
import { aChannelMapping } from '../../support/builders.ts';
import { eventually } from '../../support/eventually.ts';
import { RecordingMetrics } from '../../support/recording-metrics.ts';
import { startTeamsWorld, type TeamsWorld } from './teams-harness.ts';

let world: TeamsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('Teams API calls, as metrics', () => {
  it('counts each Bot Connector 429 wait by method, and a send to a channel the bot was never added to as no_conversation', async () => {
    const metrics = new RecordingMetrics();
    world = await startTeamsWorld({ throttle: { limit: 1, windowMs: 1_000 }, metrics });
    const w = world;
    await w.deps.store.transaction((tx) => tx.addChannelMapping(aChannelMapping({ platform: 'teams', channelId: '19:never-added@thread.tacv2' })));
    await Promise.all((['alice', 'dave', 'erin', 'bob', 'carol'] as const).map((who) => w.say(who, `elevate prod-db-admin 1h INC-${who} burst`)));

    await eventually(async () => metrics.of('chatApiError').length > 0 && metrics.of('chatRateLimitWait').length > 0);
    for (const [platform, method, seconds] of metrics.of('chatRateLimitWait')) {
      expect(platform).toBe('teams');
      expect(['sendToConversation', 'updateActivity']).toContain(method);
      expect(seconds).toBeGreaterThanOrEqual(0);
    }
    expect(metrics.of('chatApiError')).toContainEqual(['teams', 'sendToConversation', 'no_conversation']);
    // Neither a conversation id nor anything typed becomes a label.
    expect(JSON.stringify(metrics.of('chatApiError'))).not.toMatch(/19:|INC-|burst/);
  });
});
