import { afterEach, describe, expect, it } from 'vitest';
import { teamsUser } from '../../fakes/teams/teams-sender.ts';
import { cardOf, startTeamsWorld, type TeamsWorld } from './teams-harness.ts';

let world: TeamsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const NEW_CHANNEL = '19:new-reviewers@thread.tacv2';

describe('reviewer channels and requester commands in Teams', () => {
  it('lets an admin map the channel they type in, audited, and requests then appear there', async () => {
    world = await startTeamsWorld();
    await world.sender.botAdded(teamsUser('erin'), NEW_CHANNEL);
    const sent = await world.sayInChannel('erin', NEW_CHANNEL, 'admin map prod-db-admin');
    expect(sent.status).toBe(200);
    expect(await world.store.listChannelMappings({ platform: 'teams', channelId: NEW_CHANNEL })).toEqual([{ platform: 'teams', channelId: NEW_CHANNEL, scopeName: 'prod-db-admin' }]);
    expect(await world.store.listAudit(0, 100)).toContainEqual(expect.objectContaining({ type: 'admin.mapping_added', actor: 'erin', data: expect.objectContaining({ via: 'teams' }) }));
    await world.say('alice', 'elevate prod-db-admin 1h INC-5 check');
    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    expect((await world.approvalCard(request.id, NEW_CHANNEL)).stored.conversationId).toBe(NEW_CHANNEL);

    await world.sayInChannel('erin', NEW_CHANNEL, 'admin unmap');
    expect(await world.store.listChannelMappings({ platform: 'teams', channelId: NEW_CHANNEL })).toEqual([]);
  });

  it('refuses mapping by a non-admin, and never takes requests in a channel', async () => {
    world = await startTeamsWorld();
    await world.sayInChannel('dave', NEW_CHANNEL, 'admin map prod-db-admin');
    expect(await world.store.listChannelMappings({ platform: 'teams', channelId: NEW_CHANNEL })).toEqual([]);
    expect(String(world.bf.sentTo(`${NEW_CHANNEL};messageid=1699999999999`).at(-1)?.activity.text)).toMatch(/Only Elevate admins/);
    await world.sayInChannel('alice', NEW_CHANNEL, 'elevate prod-db-admin 1h INC-1 secret reason');
    expect(await world.store.listRequests({ requesterId: 'alice' })).toEqual([]);
  });

  it('answers syntax mistakes, list and help, and opens the form for "elevate" alone', async () => {
    world = await startTeamsWorld();
    await world.say('alice', 'elevate prod-db-admin');
    expect(String(world.personalActivities('alice').at(-1)?.text)).toMatch(/Add a duration/);
    await world.say('alice', 'elevate prod-db-admin 9h INC-3 too long');
    expect(String(world.personalActivities('alice').at(-1)?.text)).toMatch(/longer than prod-db-admin allows/);
    await world.say('alice', 'list');
    expect(String(world.personalActivities('alice').at(-1)?.text)).toMatch(/no pending requests/);
    await world.say('alice', 'elevate');
    const form = cardOf(world.personalActivities('alice').at(-1)!);
    expect(JSON.stringify(form)).toContain('Input.ChoiceSet');
    const submitted = await world.click('alice', { channelId: null }, 'elevate.request', { scope: 'prod-db-admin', duration: '30m', reason: 'INC-4 from the form' });
    expect(JSON.stringify((submitted.body as { value: unknown }).value)).toMatch(/sent to the reviewers/);
  });

  it('tells a person who never wrote to the bot nothing, and logs why (no 1:1 conversation yet)', async () => {
    world = await startTeamsWorld();
    await world.say('alice', 'elevate prod-db-admin 1h INC-6 x');
    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    await world.adapter.references.remove('teams', 'personal', teamsUser('alice').aadObjectId);
    await world.click('bob', { channelId: '19:reviewers@thread.tacv2' }, 'elevate.approve', { requestId: request.id });
    expect(world.logs.messages()).toContain('could not deliver a private notice');
  });
});
