import { afterEach, describe, expect, it } from 'vitest';
import { ChatLifecycleNotifier } from '../../../src/app/chat/chat-lifecycle-notifier.ts';
import { endGrant } from '../../../src/app/end-grant.ts';
import { expirePendingRequests } from '../../../src/app/expire-pending-requests.ts';
import { ACTIONS } from '../../../src/adapters/slack/render/action-ids.ts';
import { buttonsOf, startSlackWorld, textOf, type SlackWorld } from './slack-harness.ts';

let world: SlackWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('what the sweeper changes, as Slack shows it', () => {
  it('marks an unreviewed request expired on its message and tells the requester', async () => {
    world = await startSlackWorld();
    await world.command('alice', 'prod-db-admin 1h INC-1');
    world.clock.advance(3600);
    const notifier = new ChatLifecycleNotifier(world.deps);
    for (const request of await expirePendingRequests(world.deps)) await notifier.requestExpired(request);
    const [request] = await world.store.listRequests({ requesterId: 'alice' });
    const message = await world.approvalMessage(request!.id);
    expect(textOf(message.blocks)).toMatch(/Expired\* — nobody reviewed it in time/);
    expect(buttonsOf(message.blocks)).toEqual([]);
    expect(world.dmsTo('alice').map((dm) => dm.text).join('\n')).toMatch(/Nobody reviewed your request/);
  });

  it('marks an ended grant revoked on its message and tells the requester', async () => {
    world = await startSlackWorld();
    await world.command('alice', 'prod-db-admin 1h INC-1');
    const [request] = await world.store.listRequests({ requesterId: 'alice' });
    await world.click('bob', ACTIONS.approve, request!.id);
    const grant = (await world.store.getGrantByRequest(request!.id))!;
    world.clock.advance(3600);
    const ended = await endGrant(world.deps, grant.id, 'expired');
    await new ChatLifecycleNotifier(world.deps).grantEnded(ended.grant);
    const message = await world.approvalMessage(request!.id);
    expect(textOf(message.blocks)).toMatch(/Revoked.*its window ended/s);
    expect(buttonsOf(message.blocks)).toEqual([]);
    expect(world.dmsTo('alice').map((dm) => dm.text).join('\n')).toMatch(/has ended and its token was revoked/);
  });

  it('refuses to show the token of a grant that has ended', async () => {
    world = await startSlackWorld();
    await world.command('alice', 'prod-db-admin 1h INC-1');
    const [request] = await world.store.listRequests({ requesterId: 'alice' });
    await world.click('bob', ACTIONS.approve, request!.id);
    const grant = (await world.store.getGrantByRequest(request!.id))!;
    await world.command('alice', `done ${grant.id}`);
    await world.click('alice', ACTIONS.revealToken, grant.id, { channelId: 'DALICE' });
    expect(world.fake.callsTo('views.open')).toEqual([]);
    expect(world.fake.callsTo('chat.postEphemeral').at(-1)?.args.text).toMatch(/no longer active/);
  });
});

describe('starting the adapter', () => {
  it('fails when Slack rejects the bot token', async () => {
    const { startFakeSlack } = await import('../../fakes/slack/fake-slack-server.ts');
    const { createSlackAdapter } = await import('../../../src/adapters/slack/index.ts');
    const { readSlackConfig } = await import('../../../src/config/slack.ts');
    const fake = await startFakeSlack();
    try {
      const config = readSlackConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-wrong', SLACK_API_URL: fake.apiUrl }, [])!;
      const { silentLogger } = await import('../../../src/logging/logger.ts');
      const { systemClock } = await import('../../../src/domain/clock.ts');
      const probe = await startSlackWorld();
      const adapter = createSlackAdapter({ config, deps: probe.deps, logger: silentLogger(), clock: systemClock });
      await probe.close();
      await expect(adapter.start()).rejects.toThrow(/invalid_auth/);
      expect(fake.calls.map((c) => [c.method, c.outcome])).toEqual([['auth.test', 'invalid_auth']]);
    } finally {
      await fake.close();
    }
  });
});
