import { afterEach, describe, expect, it } from 'vitest';
import { ChatLifecycleNotifier } from '../../../src/app/chat/chat-lifecycle-notifier.ts';
import { DEFAULT_SWEEP_OPTIONS, sweepOnce } from '../../../src/app/sweep.ts';
import { VERBS } from '../../../src/adapters/teams/render/verbs.ts';
import { REVIEWERS_CHANNEL } from '../../fakes/teams/teams-sender.ts';
import { cardOf, cardText, startTeamsWorld, verbsOf, type TeamsWorld } from './teams-harness.ts';

let world: TeamsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** What the scheduled sweep changes, as Teams shows it: the same sweep the service runs. */
describe('what the sweeper changes, as Teams shows it', () => {
  const sweep = (w: TeamsWorld) => sweepOnce({ ...w.deps, notifier: new ChatLifecycleNotifier(w.deps) }, DEFAULT_SWEEP_OPTIONS);

  it('marks an unreviewed request expired on its card, without buttons, and tells the requester', async () => {
    world = await startTeamsWorld();
    await world.say('alice', 'elevate prod-db-admin 1h INC-1 nightly job');
    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    world.clock.set(request.pendingUntil);
    expect((await sweep(world)).expiredRequests).toBe(1);
    await world.adapter.idle();
    const { card } = await world.approvalCard(request.id);
    expect(cardText(card)).toMatch(/Expired/);
    expect(verbsOf(card)).toEqual([]);
    const notices = world.personalActivities('alice').map((a) => (a.attachments ? cardText(cardOf(a)) : String(a.text ?? '')));
    expect(notices.join('\n')).toMatch(/Nobody reviewed your request/);
  });

  it('marks a grant revoked on its card when its window ends, and tells the requester', async () => {
    world = await startTeamsWorld();
    await world.say('alice', 'elevate prod-db-admin 1h INC-2 hotfix');
    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    const { stored } = await world.approvalCard(request.id);
    await world.click('bob', { channelId: REVIEWERS_CHANNEL, messageId: stored.id }, VERBS.approve, { requestId: request.id });
    const grant = (await world.store.getGrantByRequest(request.id))!;
    expect(grant.status).toBe('active');
    world.clock.set(grant.endsAt);
    expect((await sweep(world)).revoked).toBe(1);
    await world.adapter.idle();
    const { card } = await world.approvalCard(request.id);
    expect(cardText(card)).toMatch(/Revoked/);
    expect(verbsOf(card)).toEqual([]);
    const notices = world.personalActivities('alice').map((a) => (a.attachments ? cardText(cardOf(a)) : String(a.text ?? '')));
    expect(notices.join('\n')).toMatch(/has ended and its token was revoked/);
  });
});
