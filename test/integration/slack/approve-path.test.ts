import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/slack/render/action-ids.ts';
import { buttonsOf, REVIEWERS, startSlackWorld, textOf, type SlackWorld } from './slack-harness.ts';

let world: SlackWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('the approve path through Slack', () => {
  it('goes from /elevate to a message in the mapped channel, approval, token exchange, private delivery and an updated message', async () => {
    world = await startSlackWorld();
    const { sent, replies } = await world.command('alice', 'prod-db-admin 1h30m INC-42 slow queries');
    expect(sent.status).toBe(200);
    expect(replies.at(-1)?.text).toMatch(/sent to the reviewers in <#C0REVIEWERS>/);
    expect(replies.at(-1)?.response_type).toBe('ephemeral');

    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    const posted = await world.approvalMessage(request.id);
    expect(textOf(posted.blocks)).toContain('INC-42 slow queries');
    expect(textOf(posted.blocks)).toContain('0 of 1 needed');
    expect(textOf(posted.blocks)).toMatch(/Eligible approvers: Bob, Carol/);
    expect(buttonsOf(posted.blocks)).toEqual([ACTIONS.approve, ACTIONS.deny]);
    expect(await world.store.listAudit(0, 100)).toContainEqual(expect.objectContaining({ type: 'message.posted', requestId: request.id }));

    const click = await world.click('bob', ACTIONS.approve, request.id);
    expect(click.status).toBe(200);

    const grant = await world.store.getGrantByRequest(request.id);
    expect(grant?.status).toBe('active');
    const updated = await world.approvalMessage(request.id);
    expect(textOf(updated.blocks)).toMatch(/Approved\* by Bob \(1\/1\)/);
    expect(textOf(updated.blocks)).toMatch(/Grant active/);
    expect(buttonsOf(updated.blocks)).toEqual([ACTIONS.revoke]);

    const dms = world.dmsTo('alice');
    expect(dms.map((dm) => dm.text).join('\n')).toMatch(/was decided/);
    const offer = dms.find((dm) => buttonsOf(dm.blocks).includes(ACTIONS.revealToken));
    expect(offer, 'a DM that offers the token').toBeDefined();

    await world.click('alice', ACTIONS.revealToken, grant!.id, { channelId: 'DALICE' });
    const opened = world.fake.expectCall('views.open');
    const shown = textOf(JSON.parse(String(opened.args.view)).blocks);
    const token = /```([^`]+)```/.exec(shown)?.[1];
    expect(token).toMatch(/^[\w-]{20,}$/);
    expect((await world.deps.issuer.introspect(token!)).active).toBe(true);
    expect(await world.store.listAudit(0, 100)).toContainEqual(expect.objectContaining({ type: 'grant.delivered', grantId: grant!.id }));
  });

  it('needs every required approval before it issues, and shows the count as it goes', async () => {
    world = await startSlackWorld({ scope: { approvalsRequired: 2 } });
    await world.command('alice', 'prod-db-admin 1h INC-7 migration');
    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    await world.click('bob', ACTIONS.approve, request.id);
    expect(textOf((await world.approvalMessage(request.id)).blocks)).toContain('1 of 2 needed');
    expect(await world.store.getGrantByRequest(request.id)).toBeNull();
    await world.click('carol', ACTIONS.approve, request.id);
    expect((await world.store.getGrantByRequest(request.id))?.status).toBe('active');
    expect(textOf((await world.approvalMessage(request.id)).blocks)).toMatch(/Approved\* by Bob, Carol \(2\/2\)/);
  });

  it('lets an approver revoke an active grant from the message, which the requester hears about', async () => {
    world = await startSlackWorld();
    await world.command('alice', 'prod-db-admin 1h INC-8 hotfix');
    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    await world.click('bob', ACTIONS.approve, request.id);
    const grant = (await world.store.getGrantByRequest(request.id))!;
    await world.click('carol', ACTIONS.revoke, grant.id);
    expect((await world.store.getGrant(grant.id))?.status).toBe('revoked');
    const message = await world.approvalMessage(request.id);
    expect(textOf(message.blocks)).toMatch(/Revoked.*an approver revoked it/s);
    expect(buttonsOf(message.blocks)).toEqual([]);
    expect(world.dmsTo('alice').map((dm) => dm.text).join('\n')).toMatch(/has ended and its token was revoked/);
  });

  it('posts in every mapped channel and updates all of them', async () => {
    world = await startSlackWorld();
    world.fake.addChannel('C0SECOND');
    await world.store.transaction((tx) => tx.addChannelMapping({ platform: 'slack', channelId: 'C0SECOND', scopeName: 'prod-db-admin' }));
    await world.command('alice', 'prod-db-admin 1h INC-9 two channels');
    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    await world.click('bob', ACTIONS.approve, request.id, { channelId: 'C0SECOND' });
    for (const channel of [REVIEWERS, 'C0SECOND']) {
      expect(textOf((await world.approvalMessage(request.id, channel)).blocks)).toMatch(/Approved/);
    }
  });
});
