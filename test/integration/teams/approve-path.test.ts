import { afterEach, describe, expect, it } from 'vitest';
import { VERBS } from '../../../src/adapters/teams/render/verbs.ts';
import { REVIEWERS_CHANNEL, teamsUser } from '../../fakes/teams/teams-sender.ts';
import { cardOf, cardText, startTeamsWorld, verbsOf, type TeamsWorld } from './teams-harness.ts';

let world: TeamsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('the approve path through Teams', () => {
  it('goes from "elevate" in the 1:1 chat to a card in the mapped channel, approval, token exchange, private delivery and an updated card', async () => {
    world = await startTeamsWorld();
    const sent = await world.say('alice', 'elevate prod-db-admin 1h30m INC-42 slow queries');
    expect(sent.status).toBe(200);
    const replies = world.personalActivities('alice');
    expect(String(replies.at(-1)?.text)).toMatch(/sent to the reviewers \(1 channel in Teams\)/);

    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    expect(request.source).toBe('teams');
    const { card, stored } = await world.approvalCard(request.id);
    expect(stored.conversationId).toBe(REVIEWERS_CHANNEL);
    expect(card.version).toBe('1.5');
    expect(cardText(card)).toContain('INC-42 slow queries');
    expect(cardText(card)).toContain('Approvals: 0 of 1 needed');
    expect(cardText(card)).toMatch(/Eligible approvers: Bob, Carol/);
    expect(verbsOf(card)).toEqual([VERBS.approve, VERBS.deny]);
    expect(await world.store.listAudit(0, 100)).toContainEqual(expect.objectContaining({ type: 'message.posted', requestId: request.id, data: expect.objectContaining({ platform: 'teams' }) }));

    const click = await world.click('bob', { channelId: REVIEWERS_CHANNEL, messageId: stored.id }, VERBS.approve, { requestId: request.id });
    expect(click.status).toBe(200);
    const invoke = click.body as { statusCode: number; type: string; value: Record<string, unknown> };
    expect(invoke.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(invoke.value)).toMatch(/Approved by Bob \(1\/1\)/);

    const grant = await world.store.getGrantByRequest(request.id);
    expect(grant?.status).toBe('active');
    const updated = await world.approvalCard(request.id);
    expect(updated.stored.versions.length).toBeGreaterThan(1);
    expect(cardText(updated.card)).toMatch(/Grant active/);
    expect(verbsOf(updated.card)).toEqual([VERBS.revoke]);
    world.bf.expectCall('PUT', new RegExp(`/v3/conversations/${REVIEWERS_CHANNEL}/activities/${stored.id}$`));

    const dms = world.personalActivities('alice').filter((a) => a.attachments);
    expect(dms.map((a) => cardText(cardOf(a))).join('\n')).toMatch(/was decided/);
    const offer = dms.map((a) => cardOf(a)).find((c) => JSON.stringify(c.actions ?? []).includes('task/fetch'));
    expect(offer, 'a 1:1 card that offers the token').toBeDefined();

    const fetched = await world.sender.taskFetch(teamsUser('alice'), { verb: VERBS.revealToken, grantId: grant!.id });
    expect(fetched.status).toBe(200);
    const dialog = fetched.body as { task: { type: string; value: { card: { content: Record<string, unknown> } } } };
    expect(dialog.task.type).toBe('continue');
    const token = (dialog.task.value.card.content.body as { inlines?: { fontType?: string; text: string }[] }[]).flatMap((b) => b.inlines ?? []).find((r) => r.fontType === 'Monospace')?.text;
    expect(token).toMatch(/^[\w.-]{20,}$/);
    expect((await world.deps.issuer.introspect(token!)).active).toBe(true);
    expect(await world.store.listAudit(0, 100)).toContainEqual(expect.objectContaining({ type: 'grant.delivered', grantId: grant!.id, data: expect.objectContaining({ platform: 'teams' }) }));
    // The token went out in the dialog only: in no activity the bot sent to any conversation.
    expect(JSON.stringify([...world.bf.activities.values()])).not.toContain(token);
    expect(world.logs.text()).not.toContain(token);
  });

  it('asks for a reason on Deny and shows it on the card and to the requester', async () => {
    world = await startTeamsWorld();
    await world.say('alice', 'elevate prod-db-admin 1h INC-7 migration');
    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    const { stored } = await world.approvalCard(request.id);
    const click = await world.click('carol', { channelId: REVIEWERS_CHANNEL, messageId: stored.id }, VERBS.deny, { requestId: request.id, comment: 'use the read-only scope' });
    expect(cardText((click.body as { value: unknown }).value)).toMatch(/Denied by Carol.*use the read-only scope/s);
    expect((await world.store.getRequest(request.id))?.status).toBe('denied');
    expect(verbsOf((await world.approvalCard(request.id)).card)).toEqual([]);
    expect(world.personalActivities('alice').filter((a) => a.attachments).map((a) => cardText(cardOf(a))).join('\n')).toMatch(/Denied by Carol/);
  });

  it('lets the requester end the grant from the 1:1 card, which updates the channel card', async () => {
    world = await startTeamsWorld();
    await world.say('alice', 'elevate prod-db-admin 1h INC-8 hotfix');
    const request = (await world.store.listRequests({ requesterId: 'alice' }))[0]!;
    await world.click('bob', { channelId: REVIEWERS_CHANNEL }, VERBS.approve, { requestId: request.id });
    const grant = (await world.store.getGrantByRequest(request.id))!;
    const ended = await world.click('alice', { channelId: null }, VERBS.endGrant, { grantId: grant.id });
    expect(cardText((ended.body as { value: unknown }).value)).toMatch(/has ended; its token is revoked/);
    expect((await world.store.getGrant(grant.id))?.status).toBe('revoked');
    expect(cardText((await world.approvalCard(request.id)).card)).toMatch(/Revoked.*the requester ended it early/s);
  });
});
