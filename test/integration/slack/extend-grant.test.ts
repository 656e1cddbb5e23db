import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS, VIEWS } from '../../../src/adapters/slack/render/action-ids.ts';
import { DENY_REASON_BLOCK, DENY_REASON_INPUT } from '../../../src/adapters/slack/render/deny-modal.ts';
import { viewSubmission } from '../../fakes/slack/slack-sender.ts';
import { ChatLifecycleNotifier } from '../../../src/app/chat/chat-lifecycle-notifier.ts';
import { DEFAULT_SWEEP_OPTIONS, sweepOnce } from '../../../src/app/sweep.ts';
import type { Grant } from '../../../src/domain/grant.ts';
import type { ScopeDefinition } from '../../../src/domain/scope.ts';
import { buttonsOf, slackId, startSlackWorld, textOf, type SlackWorld } from './slack-harness.ts';

let world: SlackWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** alice asks, bob approves: her live grant, and its token as the AS issued it. */
async function liveGrant(w: SlackWorld): Promise<{ grant: Grant; token: string }> {
  await w.command('alice', 'prod-db-admin 1h INC-42 slow queries');
  const request = (await w.store.listRequests({ requesterId: 'alice' }))[0]!;
  await w.click('bob', ACTIONS.approve, request.id);
  const grant = (await w.store.getGrantByRequest(request.id))!;
  return { grant, token: w.deps.cipher.open(grant.tokenSealed!, grant.id) };
}

async function extensionOf(w: SlackWorld, grantId: string) {
  const [extension] = await w.store.listRequests({ extendsGrantId: grantId });
  if (!extension) throw new Error(`no extension of ${grantId}`);
  return extension;
}

describe('extending a grant through Slack', () => {
  it('asks from the grant’s DM, is reviewed with the grant’s facts, and replaces the old token only after the new one is recorded', async () => {
    world = await startSlackWorld();
    const { grant, token: oldToken } = await liveGrant(world);
    const offer = world.dmsTo('alice').find((dm) => buttonsOf(dm.blocks).includes(ACTIONS.extendGrant));
    expect(offer, 'the grant’s DM offers to extend it').toBeDefined();
    expect(textOf(offer!.blocks)).toContain(`/elevate extend ${grant.id} <duration> [reason]`);

    await world.click('alice', ACTIONS.extendGrant, grant.id, { channelId: 'DALICE' });
    const extension = await extensionOf(world, grant.id);
    expect(extension).toMatchObject({ status: 'pending', durationSec: 3600, reason: 'INC-42 slow queries', source: 'slack' });
    const posted = await world.approvalMessage(extension.id);
    expect(textOf(posted.blocks)).toContain('Extension request: prod-db-admin');
    expect(textOf(posted.blocks)).toMatch(new RegExp(`Extends grant \`${grant.id}\` \\(it ends <!date\\^\\d+.*by 1h: the new grant would end <!date.*, 2h in total\\.`));
    expect(buttonsOf(posted.blocks)).toEqual([ACTIONS.approve, ACTIONS.deny]);

    await world.click('carol', ACTIONS.approve, extension.id);
    const next = (await world.store.getGrantByRequest(extension.id))!;
    expect(next).toMatchObject({ status: 'active', endsAt: new Date(grant.endsAt.getTime() + 3600_000) });
    expect(await world.store.getGrant(grant.id)).toMatchObject({ status: 'revoked', endReason: 'extended', tokenSealed: null });
    const newToken = world.deps.cipher.open(next.tokenSealed!, next.id);
    expect((await world.deps.issuer.introspect(oldToken)).active).toBe(false);
    expect((await world.deps.issuer.introspect(newToken)).active).toBe(true);

    const audit = await world.store.listAudit(0, 500);
    const seqOf = (type: string, grantId: string) => audit.find((r) => r.type === type && r.grantId === grantId)!.seq;
    expect(seqOf('grant.issued', next.id)).toBeLessThan(seqOf('grant.revoking', grant.id));
    expect(seqOf('grant.revoking', grant.id)).toBeLessThan(seqOf('grant.revoked', grant.id));

    expect(textOf((await world.approvalMessage(grant.requestId)).blocks)).toMatch(/Revoked.*replaced by its extension/s);
    expect(buttonsOf((await world.approvalMessage(grant.requestId)).blocks)).toEqual([]);
    const newOffer = world.dmsTo('alice').find((dm) => buttonsOf(dm.blocks).includes(ACTIONS.revealToken) && JSON.stringify(dm.blocks).includes(next.id));
    expect(newOffer, 'the new grant is offered privately').toBeDefined();
    expect(world.dmsTo('alice').map((dm) => dm.text).join('\n')).not.toMatch(/has ended and its token was revoked/);
  });

  it('leaves the grant as it was when the extension is denied', async () => {
    world = await startSlackWorld();
    const { grant, token } = await liveGrant(world);
    const { replies } = await world.command('alice', `extend ${grant.id} 30m INC-42 need a little longer`);
    expect(replies.at(-1)?.text).toMatch(/extension of \*prod-db-admin\* by 30m .* was sent to the reviewers/);
    const extension = await extensionOf(world, grant.id);
    expect(extension.reason).toBe('INC-42 need a little longer');
    await world.click('bob', ACTIONS.deny, extension.id);
    const modal = JSON.parse(String(world.fake.expectCall('views.open').args.view)) as { callback_id: string; private_metadata: string };
    expect(modal.callback_id).toBe(VIEWS.denyReason);
    await world.sender.interaction(
      viewSubmission({ userId: slackId('bob'), callbackId: VIEWS.denyReason, privateMetadata: modal.private_metadata, values: { [DENY_REASON_BLOCK]: { [DENY_REASON_INPUT]: { type: 'plain_text_input', value: 'Wrap it up' } } } }),
    );
    await world.adapter.idle();
    expect(await world.store.getRequest(extension.id)).toMatchObject({ status: 'denied' });
    expect(await world.store.getGrant(grant.id)).toMatchObject({ status: 'active', endsAt: grant.endsAt });
    expect((await world.deps.issuer.introspect(token)).active).toBe(true);
    expect(await world.store.getGrantByRequest(extension.id)).toBeNull();
    expect(textOf((await world.approvalMessage(extension.id)).blocks)).toMatch(/Denied/);
  });

  it('expires an extension nobody approved, says so to the requester, and the grant goes on', async () => {
    world = await startSlackWorld({ scope: { pendingTtlSec: 600 } });
    const { grant, token } = await liveGrant(world);
    await world.command('alice', `extend ${grant.id} 30m`);
    const extension = await extensionOf(world, grant.id);
    world.clock.advance(600);
    const report = await sweepOnce({ ...world.deps, notifier: new ChatLifecycleNotifier(world.deps) }, DEFAULT_SWEEP_OPTIONS);
    expect(report.expiredRequests).toBe(1);
    expect(textOf((await world.approvalMessage(extension.id)).blocks)).toMatch(/Expired.*Nobody approved this extension in time; the grant goes on as it was/s);
    expect(world.dmsTo('alice').map((dm) => dm.text).join('\n')).toMatch(/extension of \*prod-db-admin\* by 30m .* expired: Nobody approved this extension in time/);
    expect(await world.store.getGrant(grant.id)).toMatchObject({ status: 'active' });
    expect((await world.deps.issuer.introspect(token)).active).toBe(true);
  });
});

describe('attacks on extensions through Slack', () => {
  it('refuses to extend someone else’s grant, from the command and from a forged button value', async () => {
    world = await startSlackWorld();
    const { grant } = await liveGrant(world);
    const { replies } = await world.command('dave', `extend ${grant.id} 30m mine now`);
    expect(replies.at(-1)?.text).toMatch(/Only the person who holds a grant can extend it/);
    await world.click('bob', ACTIONS.extendGrant, grant.id, { channelId: 'DBOB' });
    expect(await world.store.listRequests({ extendsGrantId: grant.id })).toEqual([]);
  });

  it('refuses the requester’s approval of their own extension, even when they approve the scope', async () => {
    const scope: Partial<ScopeDefinition> = { approvers: ['alice', 'bob', 'carol'] };
    world = await startSlackWorld({ scope });
    const { grant } = await liveGrant(world);
    await world.command('alice', `extend ${grant.id} 30m`);
    const extension = await extensionOf(world, grant.id);
    await world.click('alice', ACTIONS.approve, extension.id);
    expect(await world.store.getRequest(extension.id)).toMatchObject({ status: 'pending' });
    expect(await world.store.listReviews(extension.id)).toEqual([]);
    expect(world.fake.calls.filter((c) => c.method === 'chat.postEphemeral').map((c) => String(c.args.text)).join('\n')).toMatch(/cannot review your own request/);
  });
});
