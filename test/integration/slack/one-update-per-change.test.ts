import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/slack/render/action-ids.ts';
import { ChatLifecycleNotifier } from '../../../src/app/chat/chat-lifecycle-notifier.ts';
import { refreshRequestMessages } from '../../../src/app/chat/refresh-messages.ts';
import { REVIEWERS, startSlackWorld, textOf, type SlackWorld } from './slack-harness.ts';

let world: SlackWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const updatesOf = (w: SlackWorld, ts: string) => w.fake.callsTo('chat.update').filter((c) => c.args.channel === REVIEWERS && c.args.ts === ts);

describe('approval messages are updated once per state change', () => {
  it('approving updates the message once per change (approved, then grant active), even when the sweeper refreshes too', async () => {
    world = await startSlackWorld();
    await world.command('alice', 'prod-db-admin 1h INC-5 one update');
    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    const { ts } = await world.approvalMessage(request.id);
    await world.click('bob', ACTIONS.approve, request.id);
    // The sweeper's reconciliation can finish the same grant (it raced the clicking flow): it
    // refreshes the messages too, with nothing new to show.
    const grant = (await world.store.getGrantByRequest(request.id))!;
    await new ChatLifecycleNotifier(world.deps).grantIssued(grant);

    const versions = updatesOf(world, ts).map((c) => String(c.args.blocks));
    const texts = versions.map((blocks) => textOf(JSON.parse(blocks)));
    // The messages are refreshed while the AS answers: when the exchange is quicker than the
    // refresh's reads, the approval and the grant arrive in one update. Either way, in order.
    expect(texts.at(-1)).toMatch(/Grant active/);
    expect(texts.slice(0, -1)).toEqual(texts.length === 2 ? [expect.stringMatching(/Approved\* by Bob/)] : []);
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('does not update a message when a refresh finds nothing changed, and does when the state changes', async () => {
    world = await startSlackWorld();
    await world.command('alice', 'prod-db-admin 1h INC-6 unchanged');
    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    const { ts } = await world.approvalMessage(request.id);
    await refreshRequestMessages(world.deps, request.id);
    expect(updatesOf(world, ts)).toHaveLength(0);
    await world.command('alice', `cancel ${request.id}`);
    expect(updatesOf(world, ts)).toHaveLength(1);
    expect(textOf((await world.approvalMessage(request.id)).blocks)).toMatch(/[Cc]ancelled/);
  });
});
