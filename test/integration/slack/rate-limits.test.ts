import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/slack/render/action-ids.ts';
import { limitsWithWindow, SLACK_DOCUMENTED_LIMITS } from '../../fakes/slack/rate-limits.ts';
import { REVIEWERS, slackId, startSlackWorld, textOf, type SlackWorld } from './slack-harness.ts';

let world: SlackWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const rateLimitWaits = (w: SlackWorld, method: string) =>
  w.logs.entries.filter((e) => e.level === 40 && e.method === method && typeof e.retryAfterSec === 'number' && /rate limited/.test(String(e.msg)));

describe('Slack rate limits through Bolt', () => {
  it('waits out chat.postMessage’s one message per second per channel: every request reaches the reviewers once, and the wait is logged', async () => {
    const heard: { platform: string; method: string; seconds: number }[] = [];
    world = await startSlackWorld({ rateLimits: limitsWithWindow(1_000), onRateLimitWait: (wait) => void heard.push(wait) });
    const w = world;
    const requesters = ['alice', 'dave', 'erin'];
    await Promise.all(
      requesters.map((who) => w.sender.command({ userId: slackId(who), text: `prod-db-admin 1h INC-${who} burst`, responseUrl: w.fake.responseUrl(), triggerId: w.fake.triggerId() })),
    );
    await w.adapter.idle();

    const posts = w.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === REVIEWERS);
    expect(posts.some((c) => c.outcome === 'ratelimited'), 'the fake refused some posts').toBe(true);
    const inChannel = [...w.fake.messages.values()].filter((m) => m.channel === REVIEWERS);
    for (const who of requesters) {
      expect(inChannel.filter((m) => textOf(m.blocks).includes(`INC-${who} burst`)), `one reviewer message for ${who}`).toHaveLength(1);
    }
    expect(inChannel).toHaveLength(requesters.length);
    const waits = rateLimitWaits(w, 'chat.postMessage');
    expect(waits.length).toBeGreaterThan(0);
    expect(waits[0]).toMatchObject({ channel: REVIEWERS, limit: `chat.postMessage:${REVIEWERS}`, retryAfterSec: 1 });
    // The hook metrics subscribe to hears of the same waits, without channel ids.
    expect(heard.filter((h) => h.method === 'chat.postMessage')).toHaveLength(waits.length);
    expect(heard.find((h) => h.method === 'chat.postMessage')).toEqual({ platform: 'slack', method: 'chat.postMessage', seconds: 1 });
    expect(await w.store.listAudit(0, 500)).toEqual(expect.arrayContaining(requesters.map(() => expect.objectContaining({ type: 'message.posted' }))));
  });

  it('keeps each message’s updates in order when chat.update is limited, so the last version shows the last state', async () => {
    world = await startSlackWorld({
      rateLimits: { ...SLACK_DOCUMENTED_LIMITS, methods: { ...SLACK_DOCUMENTED_LIMITS.methods, 'chat.update': { limit: 1, windowMs: 1_000 } } },
    });
    await world.command('alice', 'prod-db-admin 1h INC-1 limited updates');
    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    await world.click('bob', ACTIONS.approve, request.id);
    await world.click('alice', ACTIONS.endGrant, (await world.store.getGrantByRequest(request.id))!.id, { channelId: 'DALICE' });

    const message = await world.approvalMessage(request.id);
    expect(world.fake.callsTo('chat.update').some((c) => c.outcome === 'ratelimited'), 'the fake refused some updates').toBe(true);
    expect(textOf(message.blocks)).toMatch(/Revoked|Ended/);
    const accepted = world.fake.callsTo('chat.update').filter((c) => c.outcome === 'ok');
    expect(message.versions).toBe(accepted.length + 1);
    expect(rateLimitWaits(world, 'chat.update').length).toBeGreaterThan(0);
  });
});
