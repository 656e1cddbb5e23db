import { afterEach, describe, expect, it } from 'vitest';
import { REVIEWERS_CHANNEL } from '../../fakes/teams/teams-sender.ts';
import { cardText, startTeamsWorld, type TeamsWorld } from './teams-harness.ts';

let world: TeamsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('Bot Connector throttling through botbuilder', () => {
  it('waits out 429s under load: every request’s card reaches the channel once, and the wait is logged', async () => {
    world = await startTeamsWorld({ throttle: { limit: 1, windowMs: 1_000 } });
    const w = world;
    // Five cards at once into one channel allowing one a second: the fifth outlasts botbuilder's
    // own three retries, so only Elevate's wait delivers it.
    const requesters = ['alice', 'dave', 'erin', 'bob', 'carol'] as const;
    await Promise.all(requesters.map((who) => w.say(who, `elevate prod-db-admin 1h INC-${who} burst`)));

    const throttled = w.bf.calls.filter((c) => c.status === 429);
    expect(throttled.length, 'the fake connector throttled some sends').toBeGreaterThan(0);
    const cards = w.bf.sentTo(REVIEWERS_CHANNEL).filter((a) => Array.isArray(a.activity.attachments));
    for (const who of requesters) {
      expect(cards.filter((a) => cardText((a.activity.attachments as { content: Record<string, unknown> }[])[0]!.content).includes(`INC-${who} burst`)), `one card for ${who}`).toHaveLength(1);
    }
    for (const who of requesters) expect(w.personalActivities(who).map((a) => String(a.text ?? '')).join('\n')).toMatch(/sent to the reviewers/);
    const waits = w.logs.entries.filter((e) => e.level === 40 && typeof e.retryAfterSec === 'number' && /rate limited/.test(String(e.msg)));
    expect(waits.length).toBeGreaterThan(0);
    expect(waits[0]).toMatchObject({ method: 'sendToConversation', conversation: REVIEWERS_CHANNEL, limit: `teams:${REVIEWERS_CHANNEL}` });
  });
});
