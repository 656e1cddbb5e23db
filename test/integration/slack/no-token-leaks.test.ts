import { afterEach, describe, expect, it } from 'vitest';
import { ChatLifecycleNotifier } from '../../../src/app/chat/chat-lifecycle-notifier.ts';
import { endGrant } from '../../../src/app/end-grant.ts';
import { ACTIONS } from '../../../src/adapters/slack/render/action-ids.ts';
import { startSlackWorld, textOf, type SlackWorld } from './slack-harness.ts';

let world: SlackWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('the access token in a full Slack flow', () => {
  it('appears in the private reveal and nowhere else: no log line, no message, no response, no other call', async () => {
    world = await startSlackWorld();
    await world.command('alice', 'prod-db-admin 1h INC-77 full flow');
    const [request] = await world.store.listRequests({ requesterId: 'alice' });
    await world.click('bob', ACTIONS.approve, request!.id);
    const grant = (await world.store.getGrantByRequest(request!.id))!;
    await world.click('alice', ACTIONS.revealToken, grant.id, { channelId: 'DALICE' });
    await world.command('alice', 'list');
    const reveal = world.fake.expectCall('views.open');
    const token = /```([^`]+)```/.exec(textOf(JSON.parse(String(reveal.args.view)).blocks))?.[1];
    expect(token).toBeDefined();

    // The sweeper ends it at the end of its window.
    world.clock.advance(3600);
    await endGrant(world.deps, grant.id, 'expired');
    await new ChatLifecycleNotifier(world.deps).grantEnded((await world.store.getGrant(grant.id))!);

    const revealBodies = world.fake.rawBodies.filter((body) => body.includes(token!));
    expect(revealBodies).toHaveLength(1);
    expect(revealBodies[0]).toContain('trigger_id');
    for (const call of world.fake.calls.filter((c) => c !== reveal)) expect(JSON.stringify(call.args)).not.toContain(token!);
    for (const response of world.fake.responses) expect(JSON.stringify(response.body)).not.toContain(token!);
    expect(world.logs.messages()).toEqual(expect.arrayContaining(['grant issued', 'token revealed to the requester', 'grant revoked']));
    for (const line of world.logs.lines) expect(line.includes(token!), `token in log line: ${line.slice(0, 200)}`).toBe(false);
    for (const record of await world.store.listAudit(0, 500)) expect(JSON.stringify(record)).not.toContain(token!);
    expect((await world.deps.issuer.introspect(token!)).active).toBe(false);
  });
});
