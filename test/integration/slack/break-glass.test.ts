import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/slack/render/action-ids.ts';
import { ChatLifecycleNotifier } from '../../../src/app/chat/chat-lifecycle-notifier.ts';
import { DEFAULT_SWEEP_OPTIONS, sweepOnce } from '../../../src/app/sweep.ts';
import type { BreakGlassPolicy } from '../../../src/domain/scope.ts';
import { buttonsOf, REVIEWERS, slackId, startSlackWorld, textOf, type SlackWorld } from './slack-harness.ts';

const SECURITY = 'C0SECURITY';
const rules: BreakGlassPolicy = { allowed: true, maxDurationSec: null, broadcast: [{ platform: 'slack', channelId: SECURITY }], reviewWithinSec: 3600 };

let world: SlackWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function breakGlassWorld(): Promise<SlackWorld> {
  const w = await startSlackWorld({ scope: { approvers: ['alice', 'bob', 'carol'], breakGlass: rules } });
  w.fake.addChannel(SECURITY);
  return w;
}

const postsTo = (w: SlackWorld, channel: string) => w.fake.callsTo('chat.postMessage').filter((call) => call.args.channel === channel);
const ephemeralsTo = (w: SlackWorld, user: string) => w.fake.callsTo('chat.postEphemeral').filter((call) => call.args.user === user).map((call) => String(call.args.text));

describe('break-glass through Slack', () => {
  it('grants at once, announces it in the reviewer and broadcast channels, and an approver acknowledges it', async () => {
    world = await breakGlassWorld();
    const { replies } = await world.command('alice', 'break-glass prod-db-admin 30m INC-9 production is down');
    expect(String(replies.at(-1)?.text)).toMatch(/Break-glass\*: you have \*prod-db-admin\* for 30m .* without approval\. 2 channels were told, and an approver will review it by <!date/);
    const [request] = await world.store.listRequests({ requesterId: 'alice' });
    expect(request).toMatchObject({ status: 'auto_approved', breakGlass: { reviewedAt: null } });
    const grant = (await world.store.getGrantByRequest(request!.id))!;
    expect(grant.status).toBe('active');
    expect((await world.deps.issuer.introspect(world.deps.cipher.open(grant.tokenSealed!, grant.id))).active).toBe(true);
    expect(world.dmsTo('alice').some((dm) => buttonsOf(dm.blocks).includes(ACTIONS.revealToken))).toBe(true);

    for (const channel of [REVIEWERS, SECURITY]) {
      const message = await world.approvalMessage(request!.id, channel);
      expect(textOf(message.blocks)).toContain('🚨 Break-glass: prod-db-admin');
      expect(textOf(message.blocks)).toMatch(/BREAK-GLASS\* — Alice took this without approval\. An approver \(not Alice\) must acknowledge or flag it by <!date/);
      expect(buttonsOf(message.blocks)).toEqual([ACTIONS.acknowledgeBreakGlass, ACTIONS.flagBreakGlass, ACTIONS.revoke]);
    }

    // The requester is an approver of the scope, and still cannot acknowledge their own break-glass.
    await world.click('alice', ACTIONS.acknowledgeBreakGlass, request!.id);
    expect(ephemeralsTo(world, 'UALICE')).toEqual([expect.stringMatching(/cannot review your own break-glass/)]);
    expect((await world.store.getRequest(request!.id))?.breakGlass?.reviewedAt).toBeNull();

    await world.click('bob', ACTIONS.acknowledgeBreakGlass, request!.id);
    expect((await world.store.getRequest(request!.id))?.breakGlass).toMatchObject({ verdict: 'acknowledged', reviewedBy: 'bob' });
    for (const channel of [REVIEWERS, SECURITY]) {
      const message = await world.approvalMessage(request!.id, channel);
      expect(textOf(message.blocks)).toMatch(/Acknowledged\* by Bob/);
      expect(buttonsOf(message.blocks)).toEqual([ACTIONS.revoke]);
    }
    expect(postsTo(world, SECURITY)).toHaveLength(1);
    await world.click('carol', ACTIONS.flagBreakGlass, request!.id);
    expect(ephemeralsTo(world, 'UCAROL')).toEqual([expect.stringMatching(/already reviewed/)]);
  });

  it('posts a flag to the broadcast channels again, and audits it', async () => {
    world = await breakGlassWorld();
    await world.command('alice', 'break-glass prod-db-admin 30m INC-9 production is down');
    const [request] = await world.store.listRequests({ requesterId: 'alice' });
    await world.click('carol', ACTIONS.flagBreakGlass, request!.id);
    expect((await world.store.getRequest(request!.id))?.breakGlass).toMatchObject({ verdict: 'flagged', reviewedBy: 'carol' });
    const flagged = postsTo(world, SECURITY);
    expect(flagged).toHaveLength(2);
    expect(textOf(JSON.parse(String(flagged[1]!.args.blocks)))).toMatch(/FLAGGED\* by Carol/);
    expect(textOf((await world.approvalMessage(request!.id, REVIEWERS)).blocks)).toMatch(/FLAGGED\* by Carol/);
    expect(await world.store.listAudit(0, 200)).toContainEqual(expect.objectContaining({ type: 'break_glass.flagged', actor: 'carol', requestId: request!.id }));
  });

  it('reminds the reviewer channels once when nobody reviewed it in time', async () => {
    world = await breakGlassWorld();
    await world.command('alice', 'break-glass prod-db-admin 30m INC-9 production is down');
    const [request] = await world.store.listRequests({ requesterId: 'alice' });
    const sweep = () => sweepOnce({ ...world!.deps, notifier: new ChatLifecycleNotifier(world!.deps) }, DEFAULT_SWEEP_OPTIONS);
    world.clock.advance(3599);
    expect((await sweep()).breakGlassReminders).toBe(0);
    world.clock.advance(1);
    expect((await sweep()).breakGlassReminders).toBe(1);
    expect((await sweep()).breakGlassReminders).toBe(0);
    const reminders = postsTo(world, REVIEWERS);
    expect(reminders).toHaveLength(2);
    expect(textOf(JSON.parse(String(reminders[1]!.args.blocks)))).toMatch(/the review is overdue/);
    // The reminder is the message that carries the buttons from now on.
    await world.click('bob', ACTIONS.acknowledgeBreakGlass, request!.id);
    expect(textOf((await world.approvalMessage(request!.id, REVIEWERS)).blocks)).toMatch(/Acknowledged\* by Bob/);
  });
});

describe('break-glass on the App Home', () => {
  it('lists unreviewed break-glass grants for the scope’s approvers, never for the requester, with buttons that review them', async () => {
    world = await breakGlassWorld();
    await world.command('alice', 'break-glass prod-db-admin 30m INC-9 production is down');
    const [request] = await world.store.listRequests({ requesterId: 'alice' });
    const home = async (user: string) => {
      const before = world!.fake.callsTo('views.publish').length;
      await world!.sender.event({ type: 'app_home_opened', user: slackId(user), channel: `D${user.toUpperCase()}`, tab: 'home', event_ts: '1' });
      await world!.adapter.idle();
      const published = world!.fake.callsTo('views.publish').slice(before).find((call) => call.args.user_id === slackId(user))!;
      return JSON.parse(String(published.args.view)).blocks as Record<string, unknown>[];
    };
    const bobs = await home('bob');
    expect(textOf(bobs)).toMatch(new RegExp(`Break-glass to review\\* \\(1\\).*${request!.id}.*prod-db-admin\\* taken by alice for 30m`, 's'));
    expect(buttonsOf(bobs)).toEqual([ACTIONS.acknowledgeBreakGlass, ACTIONS.flagBreakGlass]);
    expect(textOf(await home('alice'))).not.toMatch(/Break-glass to review/);
    expect(textOf(await home('dave'))).not.toMatch(/Break-glass to review/);
    await world.click('bob', ACTIONS.acknowledgeBreakGlass, request!.id, { channelId: 'DBOB' });
    expect(textOf(await home('carol'))).not.toMatch(/Break-glass to review/);
  });
});

describe('attacks on break-glass through Slack', () => {
  it('refuses break-glass on a scope that does not allow it, and without a reason, storing nothing', async () => {
    world = await startSlackWorld();
    const refused = await world.command('alice', 'break-glass prod-db-admin 30m INC-9 production is down');
    expect(String(refused.replies.at(-1)?.text)).toMatch(/does not allow break-glass/);
    const bare = await world.command('alice', 'break-glass prod-db-admin 30m');
    expect(JSON.parse(bare.sent.body).text).toMatch(/Break-glass needs a reason/);
    expect(await world.store.listRequests({})).toEqual([]);
    expect(world.fake.callsTo('chat.postMessage')).toEqual([]);
  });
});
