import { afterEach, describe, expect, it } from 'vitest';
import { VERBS } from '../../../src/adapters/teams/render/verbs.ts';
import { ChatLifecycleNotifier } from '../../../src/app/chat/chat-lifecycle-notifier.ts';
import { DEFAULT_SWEEP_OPTIONS, sweepOnce } from '../../../src/app/sweep.ts';
import type { Grant } from '../../../src/domain/grant.ts';
import { REVIEWERS_CHANNEL } from '../../fakes/teams/teams-sender.ts';
import { cardOf, cardText, startTeamsWorld, verbsOf, type TeamsWorld } from './teams-harness.ts';

let world: TeamsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function liveGrant(w: TeamsWorld): Promise<{ grant: Grant; token: string }> {
  await w.say('alice', 'elevate prod-db-admin 1h INC-42 slow queries');
  const request = (await w.store.listRequests({ requesterId: 'alice' }))[0]!;
  const { stored } = await w.approvalCard(request.id);
  await w.click('bob', { channelId: REVIEWERS_CHANNEL, messageId: stored.id }, VERBS.approve, { requestId: request.id });
  const grant = (await w.store.getGrantByRequest(request.id))!;
  return { grant, token: w.deps.cipher.open(grant.tokenSealed!, grant.id) };
}

async function extensionOf(w: TeamsWorld, grantId: string) {
  const [extension] = await w.store.listRequests({ extendsGrantId: grantId });
  if (!extension) throw new Error(`no extension of ${grantId}`);
  return extension;
}

const lastText = (w: TeamsWorld) => String(w.personalActivities('alice').at(-1)?.text ?? '');

describe('extending a grant through Teams', () => {
  it('asks from the grant’s card, is reviewed with the grant’s facts, and replaces the old token only after the new one is recorded', async () => {
    world = await startTeamsWorld();
    const { grant, token: oldToken } = await liveGrant(world);
    const offer = world.personalActivities('alice').filter((a) => a.attachments).map((a) => cardOf(a)).find((c) => verbsOf(c).includes(VERBS.extendGrant));
    expect(offer, 'the grant’s card offers to extend it').toBeDefined();

    const clicked = await world.click('alice', { channelId: null }, VERBS.extendGrant, { grantId: grant.id });
    expect(String((clicked.body as { value: unknown }).value)).toMatch(/extension of prod-db-admin by 1h .* was sent to the reviewers/);
    const extension = await extensionOf(world, grant.id);
    expect(extension).toMatchObject({ status: 'pending', durationSec: 3600, source: 'teams' });
    const { card, stored } = await world.approvalCard(extension.id);
    expect(cardText(card)).toContain('Extension request: prod-db-admin');
    expect(cardText(card)).toMatch(new RegExp(`Extends grant ${grant.id} \\(it ends .*\\) by 1h: the new grant would end .*, 2h in total\\.`));

    await world.click('carol', { channelId: REVIEWERS_CHANNEL, messageId: stored.id }, VERBS.approve, { requestId: extension.id });
    const next = (await world.store.getGrantByRequest(extension.id))!;
    expect(next).toMatchObject({ status: 'active', endsAt: new Date(grant.endsAt.getTime() + 3600_000) });
    expect(await world.store.getGrant(grant.id)).toMatchObject({ status: 'revoked', endReason: 'extended' });
    expect((await world.deps.issuer.introspect(oldToken)).active).toBe(false);
    expect((await world.deps.issuer.introspect(world.deps.cipher.open(next.tokenSealed!, next.id))).active).toBe(true);
    const audit = await world.store.listAudit(0, 500);
    const seqOf = (type: string, grantId: string) => audit.find((r) => r.type === type && r.grantId === grantId)!.seq;
    expect(seqOf('grant.issued', next.id)).toBeLessThan(seqOf('grant.revoking', grant.id));
    expect(cardText((await world.approvalCard(grant.requestId)).card)).toMatch(/Revoked.*replaced by its extension/s);
  });

  it('leaves the grant as it was when the extension is denied', async () => {
    world = await startTeamsWorld();
    const { grant, token } = await liveGrant(world);
    await world.say('alice', `extend ${grant.id} 30m INC-42 a bit longer`);
    expect(lastText(world)).toMatch(/extension of prod-db-admin by 30m/);
    const extension = await extensionOf(world, grant.id);
    const { stored } = await world.approvalCard(extension.id);
    await world.click('bob', { channelId: REVIEWERS_CHANNEL, messageId: stored.id }, VERBS.deny, { requestId: extension.id, comment: 'Wrap it up' });
    expect(await world.store.getRequest(extension.id)).toMatchObject({ status: 'denied', decisionNote: 'Wrap it up' });
    expect(await world.store.getGrant(grant.id)).toMatchObject({ status: 'active', endsAt: grant.endsAt });
    expect((await world.deps.issuer.introspect(token)).active).toBe(true);
  });

  it('expires an extension nobody approved, says so, and the grant goes on', async () => {
    world = await startTeamsWorld({ scope: { pendingTtlSec: 600 } });
    const { grant, token } = await liveGrant(world);
    await world.say('alice', `extend ${grant.id} 30m`);
    const extension = await extensionOf(world, grant.id);
    world.clock.advance(600);
    expect((await sweepOnce({ ...world.deps, notifier: new ChatLifecycleNotifier(world.deps) }, DEFAULT_SWEEP_OPTIONS)).expiredRequests).toBe(1);
    expect(cardText((await world.approvalCard(extension.id)).card)).toMatch(/Expired.*Nobody approved this extension in time/s);
    const notices = world.personalActivities('alice').map((a) => (a.attachments ? cardText(cardOf(a)) : String(a.text ?? '')).replace(/\s+/g, ' '));
    expect(notices.join('\n')).toMatch(/extension of prod-db-admin by 30m .* expired: Nobody approved this extension in time/);
    expect((await world.deps.issuer.introspect(token)).active).toBe(true);
  });
});

describe('attacks on extensions through Teams', () => {
  it('refuses to extend someone else’s grant, and approving one’s own extension', async () => {
    world = await startTeamsWorld({ scope: { approvers: ['alice', 'bob', 'carol'] } });
    const { grant } = await liveGrant(world);
    const forged = await world.click('dave', { channelId: null }, VERBS.extendGrant, { grantId: grant.id });
    expect(String((forged.body as { value: unknown }).value)).toMatch(/Only the person who holds a grant can extend it/);
    expect(await world.store.listRequests({ extendsGrantId: grant.id })).toEqual([]);

    await world.say('alice', `extend ${grant.id} 30m`);
    const extension = await extensionOf(world, grant.id);
    const { stored } = await world.approvalCard(extension.id);
    const own = await world.click('alice', { channelId: REVIEWERS_CHANNEL, messageId: stored.id }, VERBS.approve, { requestId: extension.id });
    expect(await world.store.getRequest(extension.id)).toMatchObject({ status: 'pending' });
    expect(await world.store.listReviews(extension.id)).toEqual([]);
    expect(JSON.stringify(own.body)).toMatch(/cannot review your own request/);
  });
});
