import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackChatPlatform } from '../../../src/adapters/slack/slack-chat-platform.ts';
import { FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack } from '../../fakes/slack/fake-slack-server.ts';

describe('direct messages from the bot', () => {
  let fake: FakeSlack;
  let platform: SlackChatPlatform;

  beforeEach(async () => {
    fake = await startFakeSlack();
    platform = new SlackChatPlatform(new webApi.WebClient(FAKE_BOT_TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } }), '/elevate');
  });
  afterEach(() => fake.close());

  const postsTo = (channel: string) => fake.callsTo('chat.postMessage').filter((call) => call.outcome === 'ok' && call.args.channel === channel);

  it("opens a person's DM once and posts every later message straight into it", async () => {
    for (const text of ['one', 'two', 'three']) await platform.sendDirectMessage('UALICE', { text });
    await platform.sendDirectMessage('UBOB', { text: 'for bob' });
    expect(fake.callsTo('conversations.open').map((call) => call.args.users)).toEqual(['UALICE', 'UBOB']);
    expect(postsTo('DALICE').map((call) => call.args.text)).toEqual(['one', 'two', 'three']);
    expect(postsTo('DBOB')).toHaveLength(1);
  });

  it('opens the DM again, once, when Slack no longer knows the remembered channel, and still delivers', async () => {
    await platform.sendDirectMessage('UALICE', { text: 'before' });
    fake.removeChannel('DALICE');
    await platform.sendDirectMessage('UALICE', { text: 'after' });
    expect(fake.callsTo('conversations.open')).toHaveLength(2);
    expect(fake.callsTo('chat.postMessage').map((call) => [call.args.text, call.outcome])).toEqual([
      ['before', 'ok'],
      ['after', 'channel_not_found'],
      ['after', 'ok'],
    ]);
  });

  it('does not hide any other failure behind a second attempt', async () => {
    await platform.sendDirectMessage('UALICE', { text: 'before' });
    await expect(platform.sendDirectMessage('UALICE', { text: 'x'.repeat(50_000) })).rejects.toMatchObject({ data: { error: 'msg_too_long' } });
    expect(fake.callsTo('conversations.open')).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
  });
});
