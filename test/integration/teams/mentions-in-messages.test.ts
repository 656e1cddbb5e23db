import { afterEach, describe, expect, it } from 'vitest';
import { teamsUser } from '../../fakes/teams/teams-sender.ts';
import { cardText, startTeamsWorld, type TeamsWorld } from './teams-harness.ts';

let world: TeamsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A 1:1 message as Teams delivers what alice typed: HTML, with a mention entity for each `<at>`. */
async function aliceTypes(w: TeamsWorld, html: string, mentions: { name: string; id: string }[]) {
  const alice = teamsUser('alice');
  const sent = await w.sender.post({
    ...w.sender.base(alice, w.sender.personalConversation(alice)),
    type: 'message',
    textFormat: 'xml',
    text: html,
    entities: mentions.map((m) => ({ type: 'mention', text: `<at>${m.name}</at>`, mentioned: { id: m.id, name: m.name } })),
  });
  await w.adapter.idle();
  return sent;
}

describe('what people type in Teams is what Elevate keeps', () => {
  it('keeps a real @mention in a reason as @name: stored, shown on the card and audited', async () => {
    world = await startTeamsWorld();
    const sent = await aliceTypes(world, '<p>elevate prod-db-admin 1h ping <at>Bob Approver</at> please</p>', [{ name: 'Bob Approver', id: teamsUser('bob').id }]);
    expect(sent.status).toBe(200);
    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    expect(request.reason).toBe('ping @Bob Approver please');
    expect(cardText((await world.approvalCard(request.id)).card)).toContain('ping @Bob Approver please');
    const created = (await world.store.listAudit(0, 100)).find((e) => e.requestId === request.id && e.type === 'request.created');
    expect(JSON.stringify(created?.data)).toContain('ping @Bob Approver please');
  });

  it('decodes HTML entities once, so what was typed as an entity stays as typed', async () => {
    world = await startTeamsWorld();
    await aliceTypes(world, 'elevate prod-db-admin 1h INC-1 a &amp;lt;b&amp;gt; &lt;i&gt; &quot;x&quot; &amp; y', []);
    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    expect(request.reason).toBe('INC-1 a &lt;b&gt; <i> "x" & y');
  });

  it('still drops the mention of the bot itself in a channel command', async () => {
    world = await startTeamsWorld();
    const channel = '19:new-reviewers@thread.tacv2';
    await world.sender.botAdded(teamsUser('erin'), channel);
    const sent = await world.sayInChannel('erin', channel, 'admin map prod-db-admin');
    expect(sent.status).toBe(200);
    expect(await world.store.listChannelMappings({ platform: 'teams', channelId: channel })).toEqual([{ platform: 'teams', channelId: channel, scopeName: 'prod-db-admin' }]);
  });
});
