import { afterEach, describe, expect, it } from 'vitest';
import { teamsUser } from '../../fakes/teams/teams-sender.ts';
import { KeptAliveClient } from '../../support/kept-alive-client.ts';
import { startTeamsWorld, type TeamsWorld } from './teams-harness.ts';

let world: TeamsWorld | undefined;
let client: KeptAliveClient | undefined;
afterEach(async () => {
  client?.close();
  client = undefined;
  await world?.close();
  world = undefined;
});

function aliceSays(w: TeamsWorld, text: string, extra: Record<string, unknown> = {}): string {
  const alice = teamsUser('alice');
  const activity: Record<string, unknown> = { ...w.sender.base(alice, w.sender.personalConversation(alice)), type: 'message', text, textFormat: 'plain', ...extra };
  // The fake connector accepts replies only to activities it saw delivered, as Teams does.
  w.bf.noteDelivered((activity.conversation as { id: string }).id, String(activity.id));
  return JSON.stringify(activity);
}

async function headers(w: TeamsWorld): Promise<Record<string, string>> {
  return { 'content-type': 'application/json', authorization: `Bearer ${await w.bf.signToken()}` };
}

describe('a kept-alive connection to /api/messages after an early refusal', () => {
  const refusals: { name: string; status: number; send: (w: TeamsWorld, c: KeptAliveClient) => Promise<Awaited<ReturnType<KeptAliveClient['post']>>> }[] = [
    {
      name: 'an oversized body (413)',
      status: 413,
      send: async (w, c) => c.post(w.endpoint, await headers(w), aliceSays(w, 'help', { padding: 'x'.repeat(1024 * 1024) })),
    },
    {
      name: 'an oversized body sent in chunks, without a length (413)',
      status: 413,
      send: async (w, c) => c.post(w.endpoint, { ...(await headers(w)), 'transfer-encoding': 'chunked' }, aliceSays(w, 'help', { padding: 'x'.repeat(1024 * 1024) })),
    },
    {
      name: 'a body that is not an activity (400)',
      status: 400,
      send: async (w, c) => c.post(w.endpoint, await headers(w), '{"not":"an activity"'),
    },
    {
      name: 'a missing token (401)',
      status: 401,
      send: async (w, c) => c.post(w.endpoint, { 'content-type': 'application/json' }, aliceSays(w, 'help')),
    },
  ];

  for (const refusal of refusals) {
    it(`serves the next request after ${refusal.name}`, async () => {
      world = await startTeamsWorld();
      client = new KeptAliveClient();
      const refused = await refusal.send(world, client);
      expect(refused.status).toBe(refusal.status);
      const before = world.personalActivities('alice').length;
      const next = await client.post(world.endpoint, await headers(world), aliceSays(world, 'help'));
      expect(next.status).toBe(200);
      await world.adapter.idle();
      expect(world.personalActivities('alice').length).toBeGreaterThan(before);
    });
  }
});
