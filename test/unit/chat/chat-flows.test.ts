import { describe, expect, it } from 'vitest';
import { OAuthError } from '../../../src/adapters/oauth/oauth-error.ts';
import { ChatLifecycleNotifier } from '../../../src/app/chat/chat-lifecycle-notifier.ts';
import { decideRequest } from '../../../src/app/chat/decide-request.ts';
import { endGrantFromChat } from '../../../src/app/chat/end-grant-from-chat.ts';
import { KeyedSerializer } from '../../../src/shared/keyed-serializer.ts';
import { revealToken } from '../../../src/app/chat/reveal-token.ts';
import { submitRequest } from '../../../src/app/chat/submit-request.ts';
import { endGrant } from '../../../src/app/end-grant.ts';
import { expirePendingRequests } from '../../../src/app/expire-pending-requests.ts';
import { slackUser } from '../../support/core-harness.ts';
import { chatWorld, type ChatWorld } from './chat-world.ts';

const ask = (w: ChatWorld, reason = 'INC-1 investigating') =>
  submitRequest(w.deps, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason, source: 'slack' });

describe('publishing a new request', () => {
  it('posts in every mapped channel on every platform and stores each message id with an audit event', async () => {
    const w = await chatWorld();
    const { request, published } = await ask(w);
    expect(published?.posted).toEqual([
      { platform: 'slack', channelId: 'C-REVIEWERS' },
      { platform: 'teams', channelId: '19:teams-reviewers' },
    ]);
    expect(await w.store.listPostedMessages(request.id)).toEqual([
      expect.objectContaining({ platform: 'slack', channelId: 'C-REVIEWERS', messageId: 'slack-msg-1' }),
      expect.objectContaining({ platform: 'teams', channelId: '19:teams-reviewers', messageId: 'teams-msg-1' }),
    ]);
    expect((await w.store.listAudit(0, 50)).filter((r) => r.type === 'message.posted')).toHaveLength(2);
    expect(w.slack.posted[0]?.view.eligibleApprovers.map((p) => p.id)).toEqual(['bob', 'carol']);
  });

  it('keeps going when one channel fails, and reports which', async () => {
    const w = await chatWorld();
    w.slack.failingChannels.add('C-REVIEWERS');
    const { published } = await ask(w);
    expect(published?.posted).toEqual([{ platform: 'teams', channelId: '19:teams-reviewers' }]);
    expect(published?.failed).toEqual([{ platform: 'slack', channelId: 'C-REVIEWERS', reason: 'channel_not_found: C-REVIEWERS' }]);
  });

  it('skips channels of platforms this instance does not run', async () => {
    const w = await chatWorld();
    await w.store.transaction((tx) => tx.addChannelMapping({ platform: 'teams', channelId: '19:other', scopeName: 'prod-db-admin' }));
    const onlySlack = { ...w.deps, platforms: new (await import('../../../src/app/chat/chat-platforms.ts')).ChatPlatforms() };
    onlySlack.platforms.register(w.slack);
    const { published } = await submitRequest(onlySlack, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-2', source: 'slack' });
    expect(published?.skipped.map((s) => s.channelId)).toEqual(['19:other', '19:teams-reviewers']);
  });

  it('issues and offers the token at once when policy approves automatically', async () => {
    const w = await chatWorld({ scope: { policy: { autoApprove: true, allowedHoursUtc: null, maxRequestsPerDay: null, dormantAfterDays: null } } });
    const { request, published } = await ask(w);
    expect(published).toBeNull();
    expect((await w.store.getGrantByRequest(request.id))?.status).toBe('active');
    expect(w.slack.notices.map((n) => n.notice.kind)).toEqual(['request_decided', 'grant_issued']);
    expect(w.slack.posted).toEqual([]);
  });

  it('tells the requester about an automatic denial and posts nothing', async () => {
    const w = await chatWorld({ scope: { policy: { autoApprove: false, allowedHoursUtc: null, maxRequestsPerDay: 0, dormantAfterDays: null } } });
    const { decision } = await ask(w);
    expect(decision.outcome).toBe('auto_deny');
    expect(w.slack.notices.map((n) => [n.userId, n.notice.kind, n.notice.view.request.status])).toEqual([['U-ALICE', 'request_decided', 'auto_denied']]);
    expect(w.slack.posted).toEqual([]);
  });
});

describe('a decision on one platform', () => {
  it('updates the messages on every platform and notifies the requester wherever they are linked', async () => {
    const w = await chatWorld();
    const { request } = await ask(w);
    await decideRequest(w.deps, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    expect(w.teams.lastUpdateOf(request.id)?.request.status).toBe('approved');
    expect(w.teams.lastUpdateOf(request.id)?.grant?.status).toBe('active');
    expect(w.slack.lastUpdateOf(request.id)?.grant?.status).toBe('active');
    expect(w.slack.notices.map((n) => n.notice.kind)).toEqual(['request_decided', 'grant_issued']);
    expect(w.teams.notices.map((n) => [n.userId, n.notice.kind])).toEqual([
      ['29:alice', 'request_decided'],
      ['29:alice', 'grant_issued'],
    ]);
  });

  it('starts the token exchange before the messages are updated or the requester is told, and still tells the decision first', async () => {
    const w = await chatWorld();
    const { request } = await ask(w);
    const exchange = w.issuer.exchange.bind(w.issuer);
    const saidBeforeExchange: string[] = [];
    w.issuer.exchange = async (input) => {
      saidBeforeExchange.push(...[w.slack, w.teams].flatMap((p) => [...p.updated.map(() => 'update'), ...p.notices.map((n) => n.notice.kind)]));
      return exchange(input);
    };
    await decideRequest(w.deps, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    expect(saidBeforeExchange).toEqual([]);
    expect(w.slack.notices.map((n) => n.notice.kind)).toEqual(['request_decided', 'grant_issued']);
    const granted = w.slack.notices.find((n) => n.notice.kind === 'grant_issued')!.notice;
    expect(granted.view.grant).toEqual(await w.store.getGrantByRequest(request.id));
    expect(granted.view.request).toMatchObject({ id: request.id, status: 'approved' });
    expect(w.slack.lastUpdateOf(request.id)?.grant?.status).toBe('active');
  });

  it('changes nothing and notifies nobody when the click is refused', async () => {
    const w = await chatWorld();
    const { request } = await ask(w);
    await expect(decideRequest(w.deps, { requestId: request.id, actor: slackUser('alice'), decision: 'approve' })).rejects.toMatchObject({ code: 'self_approval' });
    expect(w.slack.updated).toEqual([]);
    expect(w.slack.notices).toEqual([]);
  });

  it('tells the requester when the token exchange fails, and shows it on the messages', async () => {
    const w = await chatWorld();
    const { request } = await ask(w);
    w.issuer.failNextExchanges = 1;
    await decideRequest(w.deps, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    const failed = w.slack.notices.find((n) => n.notice.kind === 'grant_failed');
    expect(failed?.notice).toMatchObject({ reason: expect.stringMatching(/authorization server is not answering/) });
    expect(w.slack.lastUpdateOf(request.id)?.grant?.status).toBe('issue_failed');
  });

  it('tells the requester what the AS objected to, and audits it, without the AS’s free-text description', async () => {
    const w = await chatWorld();
    const { request } = await ask(w);
    w.issuer.rejectNextExchangeWith = new OAuthError({ operation: 'exchange', reason: 'error_response', oauthError: 'invalid_scope', oauthErrorDescription: 'client 42 lacks db:admin', httpStatus: 400 });
    await decideRequest(w.deps, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    const said = 'Could not obtain the access token: the authorization server does not allow this scope for Elevate (invalid_scope).';
    const failed = w.slack.notices.find((n) => n.notice.kind === 'grant_failed');
    expect(failed?.notice).toMatchObject({ reason: expect.stringContaining(said) });
    const audited = (await w.store.listAudit(0, 100)).find((r) => r.type === 'grant.issue_failed');
    expect(audited?.data).toEqual({ error: 'issuer_rejected', explanation: expect.stringContaining(said) });
    expect(JSON.stringify([failed, audited])).not.toContain('client 42');
  });

  it('still records the decision when notices cannot be delivered', async () => {
    const w = await chatWorld();
    const { request } = await ask(w);
    w.slack.failNotices = true;
    w.teams.failNotices = true;
    await decideRequest(w.deps, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    expect((await w.store.getGrantByRequest(request.id))?.status).toBe('active');
  });
});

describe('the token', () => {
  it('is revealed to the requester only while the grant is active, and each reveal is audited', async () => {
    const w = await chatWorld();
    const { request } = await ask(w);
    await decideRequest(w.deps, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    const grant = (await w.store.getGrantByRequest(request.id))!;
    const shown: string[] = [];
    await revealToken(w.deps, { grantId: grant.id, actor: slackUser('alice'), via: 'slack' }, async (t) => void shown.push(t.accessToken));
    expect(shown).toEqual([...w.issuer.live.keys()]);
    expect((await w.store.listAudit(0, 100)).filter((r) => r.type === 'grant.delivered')).toEqual([expect.objectContaining({ actor: 'alice', grantId: grant.id })]);

    await expect(revealToken(w.deps, { grantId: grant.id, actor: slackUser('bob'), via: 'slack' }, async () => undefined)).rejects.toMatchObject({ code: 'forbidden' });
    await endGrantFromChat(w.deps, grant.id, slackUser('alice'));
    await expect(revealToken(w.deps, { grantId: grant.id, actor: slackUser('alice'), via: 'slack' }, async () => undefined)).rejects.toMatchObject({ code: 'grant_inactive' });
  });

  it('is not recorded as delivered when showing it failed', async () => {
    const w = await chatWorld();
    const { request } = await ask(w);
    await decideRequest(w.deps, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    const grant = (await w.store.getGrantByRequest(request.id))!;
    await expect(
      revealToken(w.deps, { grantId: grant.id, actor: slackUser('alice'), via: 'slack' }, async () => {
        throw new Error('expired_trigger_id');
      }),
    ).rejects.toThrow('expired_trigger_id');
    expect((await w.store.listAudit(0, 100)).filter((r) => r.type === 'grant.delivered')).toEqual([]);
  });
});

describe('ChatLifecycleNotifier', () => {
  it('updates the messages and tells the requester when a request expires unreviewed', async () => {
    const w = await chatWorld();
    const { request } = await ask(w);
    w.clock.advance(3600);
    const notifier = new ChatLifecycleNotifier(w.deps);
    for (const expired of await expirePendingRequests(w.deps)) await notifier.requestExpired(expired);
    expect(w.teams.lastUpdateOf(request.id)?.request.status).toBe('expired');
    expect(w.slack.notices.map((n) => n.notice.kind)).toEqual(['request_expired']);
  });

  it('updates the messages and tells the requester when a grant ends', async () => {
    const w = await chatWorld();
    const { request } = await ask(w);
    await decideRequest(w.deps, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    const grant = (await w.store.getGrantByRequest(request.id))!;
    const ended = await endGrant(w.deps, grant.id, 'expired');
    await new ChatLifecycleNotifier(w.deps).grantEnded(ended.grant);
    expect(w.slack.lastUpdateOf(request.id)?.grant?.status).toBe('revoked');
    expect(w.slack.notices.at(-1)?.notice.kind).toBe('grant_ended');
  });

  it('shows an overdue revocation on the messages without telling the requester again', async () => {
    const w = await chatWorld();
    const { request } = await ask(w);
    await decideRequest(w.deps, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    const grant = (await w.store.getGrantByRequest(request.id))!;
    w.issuer.failNextRevocations = 1;
    const pending = await endGrant(w.deps, grant.id, 'expired');
    const noticesBefore = w.slack.notices.length;
    await new ChatLifecycleNotifier(w.deps).revocationOverdue(pending.grant);
    expect(w.slack.lastUpdateOf(request.id)?.grant).toMatchObject({ status: 'revoking', revokeAttempts: 1 });
    expect(w.slack.notices).toHaveLength(noticesBefore);
  });
});

describe('KeyedSerializer', () => {
  it('runs tasks of one key in order, even when an earlier one is slower or fails', async () => {
    const serializer = new KeyedSerializer();
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = serializer.run('r-1', async () => {
      await gate;
      order.push('first');
      throw new Error('boom');
    });
    const second = serializer.run('r-1', async () => void order.push('second'));
    const other = serializer.run('r-2', async () => void order.push('other key'));
    await other;
    release();
    await expect(first).rejects.toThrow('boom');
    await second;
    expect(order).toEqual(['other key', 'first', 'second']);
  });
});
