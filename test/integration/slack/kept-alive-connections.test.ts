import { afterEach, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../../src/adapters/slack/index.ts';
import { TEST_SIGNING_SECRET } from '../../fakes/slack/slack-sender.ts';
import { KeptAliveClient } from '../../support/kept-alive-client.ts';
import { slackId, startSlackWorld, type SlackWorld } from './slack-harness.ts';

let world: SlackWorld | undefined;
let client: KeptAliveClient | undefined;
afterEach(async () => {
  client?.close();
  client = undefined;
  await world?.close();
  world = undefined;
});

function signed(body: string, contentType: string, secret = TEST_SIGNING_SECRET): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return { 'content-type': contentType, 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signSlackRequest(secret, timestamp, body) };
}

function commandBody(w: SlackWorld, text: string): string {
  return new URLSearchParams({
    team_id: 'T0FAKE',
    channel_id: 'C0GENERAL',
    user_id: slackId('alice'),
    command: '/elevate',
    text,
    api_app_id: 'A0ELEVATE',
    response_url: w.fake.responseUrl(),
    trigger_id: w.fake.triggerId(),
  }).toString();
}

const FORM = 'application/x-www-form-urlencoded';

describe('a kept-alive connection to /slack/events after an early refusal', () => {
  const refusals: { name: string; status: number; send: (w: SlackWorld, c: KeptAliveClient) => ReturnType<KeptAliveClient['post']> }[] = [
    {
      name: 'an oversized body (413)',
      status: 413,
      send: (w, c) => {
        const body = `${commandBody(w, 'prod-db-admin 1h INC-1 big')}&pad=${'x'.repeat(2 * 1024 * 1024)}`;
        return c.post(w.eventsUrl, signed(body, FORM), body);
      },
    },
    {
      name: 'an oversized body sent in chunks, without a length (413)',
      status: 413,
      send: (w, c) => {
        const body = `${commandBody(w, 'prod-db-admin 1h INC-1 big')}&pad=${'x'.repeat(2 * 1024 * 1024)}`;
        return c.post(w.eventsUrl, { ...signed(body, FORM), 'transfer-encoding': 'chunked' }, body);
      },
    },
    {
      name: 'a bad signature (401)',
      status: 401,
      send: (w, c) => {
        const body = commandBody(w, 'prod-db-admin 1h INC-1 forged');
        return c.post(w.eventsUrl, signed(body, FORM, 'not-the-signing-secret'), body);
      },
    },
    {
      name: 'a body not shaped as Slack sends it (400)',
      status: 400,
      send: (w, c) => {
        const body = JSON.stringify(Object.fromEntries(new URLSearchParams(commandBody(w, 'prod-db-admin 1h INC-1 as json'))));
        return c.post(w.eventsUrl, signed(body, 'application/json'), body);
      },
    },
    {
      name: 'a path that is not served (404)',
      status: 404,
      send: (w, c) => {
        const body = commandBody(w, 'prod-db-admin 1h INC-1 lost');
        return c.post(w.eventsUrl.replace('/slack/events', '/slack/other'), signed(body, FORM), body);
      },
    },
  ];

  for (const refusal of refusals) {
    it(`serves the next request after ${refusal.name}`, async () => {
      world = await startSlackWorld();
      client = new KeptAliveClient();
      const refused = await refusal.send(world, client);
      expect(refused.status).toBe(refusal.status);
      const body = commandBody(world, 'prod-db-admin 1h INC-1 after the refusal');
      const next = await client.post(world.eventsUrl, signed(body, FORM), body);
      expect(next.status).toBe(200);
      await world.adapter.idle();
      expect((await world.store.listRequests({ requesterId: 'alice' })).map((r) => r.reason)).toEqual(['INC-1 after the refusal']);
    });
  }
});
