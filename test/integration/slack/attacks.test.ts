import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS, VIEWS } from '../../../src/adapters/slack/render/action-ids.ts';
import { DENY_REASON_BLOCK, DENY_REASON_INPUT } from '../../../src/adapters/slack/render/deny-modal.ts';
import { signSlackRequest } from '../../../src/adapters/slack/index.ts';
import { viewSubmission, TEST_SIGNING_SECRET } from '../../fakes/slack/slack-sender.ts';
import { buttonsOf, slackId, startSlackWorld, textOf, type SlackWorld } from './slack-harness.ts';

let world: SlackWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const nowSec = () => Math.floor(Date.now() / 1000);

async function pendingRequest(w: SlackWorld, reason = 'INC-1 investigating') {
  await w.command('alice', `prod-db-admin 1h ${reason}`);
  const request = (await w.store.listRequests({ requesterId: 'alice' }))[0];
  if (!request) throw new Error('no request was stored');
  return request;
}

function ephemeralsTo(w: SlackWorld, user: string): string[] {
  return w.fake.callsTo('chat.postEphemeral').filter((c) => c.args.user === slackId(user)).map((c) => String(c.args.text));
}

describe('requests that do not come from Slack', () => {
  it('refuses a forged signature with 401 and stores nothing', async () => {
    world = await startSlackWorld();
    const { sent } = await world.command('alice', 'prod-db-admin 1h INC-1 forged', { signature: `v0=${'0'.repeat(64)}` });
    expect(sent.status).toBe(401);
    expect(await world.store.listRequests({})).toEqual([]);
    expect(world.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });

  it('refuses a request signed with another secret', async () => {
    world = await startSlackWorld();
    const { sent } = await world.command('alice', 'prod-db-admin 1h INC-1 wrong key', { secret: 'not-the-signing-secret' });
    expect(sent.status).toBe(401);
    expect(await world.store.listRequests({})).toEqual([]);
  });

  it('refuses a request without a signature', async () => {
    world = await startSlackWorld();
    const { sent } = await world.command('alice', 'prod-db-admin 1h INC-1 unsigned', { signature: null });
    expect(sent.status).toBe(401);
    expect(await world.store.listRequests({})).toEqual([]);
  });

  it('refuses a correctly signed request whose timestamp is more than five minutes old', async () => {
    world = await startSlackWorld();
    const { sent } = await world.command('alice', 'prod-db-admin 1h INC-1 stale', { timestamp: nowSec() - 6 * 60 });
    expect(sent.status).toBe(401);
    expect(await world.store.listRequests({})).toEqual([]);
  });

  it('refuses a correctly signed request dated more than five minutes ahead', async () => {
    world = await startSlackWorld();
    const { sent } = await world.command('alice', 'prod-db-admin 1h INC-1 future', { timestamp: nowSec() + 6 * 60 });
    expect(sent.status).toBe(401);
    expect(await world.store.listRequests({})).toEqual([]);
  });

  it('refuses the same signed request sent a second time inside the five minutes', async () => {
    world = await startSlackWorld();
    const { sent } = await world.command('alice', 'prod-db-admin 1h INC-1 once');
    expect(sent.status).toBe(200);
    const again = await sent.replay();
    await world.adapter.idle();
    expect(again.status).toBe(401);
    expect(await world.store.listRequests({})).toHaveLength(1);
  });

  it("answers Slack's certificate check without processing anything it carries", async () => {
    world = await startSlackWorld();
    const sent = await world.sender.send('ssl_check=1&token=x&command=%2Felevate&text=prod-db-admin+1h+INC-1&user_id=UALICE', 'application/x-www-form-urlencoded', { signature: null });
    await world.adapter.idle();
    expect(sent.status).toBe(200);
    expect(await world.store.listRequests({})).toEqual([]);
  });

  it('acknowledges a Slack retry without processing it again', async () => {
    world = await startSlackWorld();
    const { sent } = await world.command('alice', 'prod-db-admin 1h INC-1 retried', { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(sent.status).toBe(200);
    expect(sent.headers.get('x-slack-no-retry')).toBe('1');
    expect(await world.store.listRequests({})).toEqual([]);
  });

  it('refuses a replayed approval click, and the core would not count it twice anyway', async () => {
    world = await startSlackWorld({ scope: { approvalsRequired: 2 } });
    const request = await pendingRequest(world);
    const first = await world.click('bob', ACTIONS.approve, request.id);
    expect(first.status).toBe(200);
    expect((await first.replay()).status).toBe(401);
    await world.adapter.idle();
    expect(await world.store.listReviews(request.id)).toHaveLength(1);
  });
});

describe('clicks from people who may not decide', () => {
  it('refuses self-approval with an ephemeral message and changes nothing', async () => {
    world = await startSlackWorld({ scope: { approvers: ['alice', 'bob'] } });
    const request = await pendingRequest(world);
    const before = await world.approvalMessage(request.id);
    await world.click('alice', ACTIONS.approve, request.id);
    expect(ephemeralsTo(world, 'alice')).toEqual([expect.stringMatching(/cannot review your own request/)]);
    expect(await world.store.listReviews(request.id)).toEqual([]);
    expect((await world.approvalMessage(request.id)).versions).toBe(before.versions);
  });

  it('refuses a click from someone who is not an approver of the scope', async () => {
    world = await startSlackWorld();
    const request = await pendingRequest(world);
    await world.click('dave', ACTIONS.approve, request.id);
    expect(ephemeralsTo(world, 'dave')).toEqual([expect.stringMatching(/not an approver for scope prod-db-admin/)]);
    expect((await world.store.getRequest(request.id))?.status).toBe('pending');
  });

  it('refuses a click from a Slack user with no linked identity', async () => {
    world = await startSlackWorld();
    const request = await pendingRequest(world);
    await world.click('mallory', ACTIONS.approve, request.id);
    expect(ephemeralsTo(world, 'mallory')).toEqual([expect.stringMatching(/not linked to an Elevate identity/)]);
    expect(await world.store.listReviews(request.id)).toEqual([]);
  });

  it('does not open the denial form for a non-approver', async () => {
    world = await startSlackWorld();
    const request = await pendingRequest(world);
    await world.click('dave', ACTIONS.deny, request.id);
    expect(world.fake.callsTo('views.open')).toEqual([]);
    expect(ephemeralsTo(world, 'dave')).toHaveLength(1);
  });

  it('refuses a revocation from someone who is neither requester, approver nor admin', async () => {
    world = await startSlackWorld();
    const request = await pendingRequest(world);
    await world.click('bob', ACTIONS.approve, request.id);
    const grant = (await world.store.getGrantByRequest(request.id))!;
    await world.click('dave', ACTIONS.revoke, grant.id);
    expect((await world.store.getGrant(grant.id))?.status).toBe('active');
    expect(ephemeralsTo(world, 'dave')).toEqual([expect.stringMatching(/Only the requester, an approver of this scope or an admin/)]);
  });

  it('shows the token only to the requester', async () => {
    world = await startSlackWorld();
    const request = await pendingRequest(world);
    await world.click('bob', ACTIONS.approve, request.id);
    const grant = (await world.store.getGrantByRequest(request.id))!;
    await world.click('bob', ACTIONS.revealToken, grant.id);
    expect(world.fake.callsTo('views.open')).toEqual([]);
    expect(ephemeralsTo(world, 'bob')).toEqual([expect.stringMatching(/Only the requester can see the token/)]);
  });
});

describe('clicks that come too late or too often', () => {
  it('refuses an approval after a denial', async () => {
    world = await startSlackWorld({ scope: { approvalsRequired: 2 } });
    const request = await pendingRequest(world);
    await world.click('bob', ACTIONS.deny, request.id);
    const modal = JSON.parse(String(world.fake.expectCall('views.open').args.view)) as { callback_id: string; private_metadata: string };
    expect(modal.callback_id).toBe(VIEWS.denyReason);
    await world.sender.interaction(
      viewSubmission({ userId: slackId('bob'), callbackId: VIEWS.denyReason, privateMetadata: modal.private_metadata, values: { [DENY_REASON_BLOCK]: { [DENY_REASON_INPUT]: { type: 'plain_text_input', value: 'Not during the freeze' } } } }),
    );
    await world.adapter.idle();
    expect((await world.store.getRequest(request.id))?.status).toBe('denied');
    const denied = await world.approvalMessage(request.id);
    expect(textOf(denied.blocks)).toMatch(/Denied\* by Bob.*Not during the freeze/s);
    expect(buttonsOf(denied.blocks)).toEqual([]);
    expect(world.dmsTo('alice').map((dm) => dm.text).join('\n')).toMatch(/Denied/);

    await world.click('carol', ACTIONS.approve, request.id);
    expect(ephemeralsTo(world, 'carol')).toEqual([expect.stringMatching(/already denied/)]);
    expect(await world.store.getGrantByRequest(request.id)).toBeNull();
  });

  it('refuses an approval after the request expired', async () => {
    world = await startSlackWorld();
    const request = await pendingRequest(world);
    world.clock.advance(3601);
    await world.click('bob', ACTIONS.approve, request.id);
    expect(ephemeralsTo(world, 'bob')).toEqual([expect.stringMatching(/expired before it was reviewed/)]);
    expect(await world.store.getGrantByRequest(request.id)).toBeNull();
  });

  it('approves once and exchanges once when two approvers click at the same moment', async () => {
    world = await startSlackWorld();
    const request = await pendingRequest(world);
    const clicks = ['bob', 'carol'].map((user) =>
      world!.sender.interaction({
        type: 'block_actions',
        user: { id: slackId(user) },
        team: { id: 'T0FAKE' },
        api_app_id: 'A0ELEVATE',
        trigger_id: world!.fake.triggerId(),
        channel: { id: 'C0REVIEWERS' },
        container: { type: 'message', channel_id: 'C0REVIEWERS' },
        response_url: world!.fake.responseUrl(),
        actions: [{ type: 'button', action_id: ACTIONS.approve, value: request.id, block_id: 'b', action_ts: '1' }],
      }),
    );
    expect((await Promise.all(clicks)).map((r) => r.status)).toEqual([200, 200]);
    await world.adapter.idle();
    const audit = await world.store.listAudit(0, 500);
    expect(audit.filter((r) => r.type === 'request.approved')).toHaveLength(1);
    expect(audit.filter((r) => r.type === 'grant.issued')).toHaveLength(1);
    expect(await world.store.listReviews(request.id)).toHaveLength(1);
    expect(world.fake.callsTo('chat.postEphemeral')).toHaveLength(1);
    const message = await world.approvalMessage(request.id);
    expect(textOf(message.blocks)).toMatch(/Grant active/);
  });

  it('counts a double click by one approver once', async () => {
    world = await startSlackWorld({ scope: { approvalsRequired: 2 } });
    const request = await pendingRequest(world);
    await world.click('bob', ACTIONS.approve, request.id);
    await world.click('bob', ACTIONS.approve, request.id);
    expect(await world.store.listReviews(request.id)).toHaveLength(1);
    expect(ephemeralsTo(world, 'bob')).toEqual([expect.stringMatching(/already reviewed/)]);
  });
});

describe('text that tries to be more than text', () => {
  it('shows mentions and links in the reason as typed instead of pinging or hiding a link', async () => {
    world = await startSlackWorld();
    const reason = 'INC-1 <!channel> <!here> @everyone <@UERIN> <https://evil.example/x|the runbook> &amp;';
    const request = await pendingRequest(world, reason);
    const message = await world.approvalMessage(request.id);
    // Everything Slack parses (mrkdwn) has the reason's markup escaped, or does not carry the reason at all…
    const parsed = JSON.stringify(textObjects(message.blocks, 'mrkdwn')) + message.text;
    expect(parsed).not.toMatch(/<!channel>|<!here>|<@UERIN>|<https:\/\/evil/);
    expect(parsed).not.toContain('@everyone');
    // …and the reason itself is plain text, which Slack shows exactly as typed, parsing nothing.
    expect(textObjects(message.blocks, 'plain_text')).toContainEqual({ type: 'plain_text', text: reason, emoji: false });
    const posted = world.fake.expectCall('chat.postMessage', (args) => args.channel === 'C0REVIEWERS');
    expect(posted.args.unfurl_links).toBe('false');
  });

  it('shows Slack formatting in a reason as typed, so it cannot pass for bold status text or an icon', async () => {
    world = await startSlackWorld();
    const reason = 'INC-1 ignore this :white_check_mark: *Approved* by _Security_ ~pending~ `ok`';
    const request = await pendingRequest(world, reason);
    const message = await world.approvalMessage(request.id);
    expect(textObjects(message.blocks, 'mrkdwn').map((t) => t.text).join('\n')).not.toMatch(/\*Approved\*|:white_check_mark:|_Security_/);
    expect(textObjects(message.blocks, 'plain_text')).toContainEqual({ type: 'plain_text', text: reason, emoji: false });
  });

  it('keeps a message within Slack limits when names and descriptions are huge', async () => {
    world = await startSlackWorld({ scope: { description: 'd'.repeat(5000), approvers: Array.from({ length: 400 }, (_, i) => `approver-${i}`) } });
    const request = await pendingRequest(world, `INC-1 ${'x'.repeat(490)}`);
    const message = await world.approvalMessage(request.id);
    expect(world.fake.calls.filter((c) => c.outcome !== 'ok')).toEqual([]);
    expect(textOf(message.blocks)).toContain('…');
  });
});

describe("Slack's published signing example", () => {
  it('produces the signature Slack documents', () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', '1531420618', body)).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
    expect(TEST_SIGNING_SECRET).not.toBe('8f742231b10e8888abcd99yyyzzz85a5');
  });
});

/** Every text object of one type in a block tree. */
function textObjects(blocks: unknown, type: 'mrkdwn' | 'plain_text'): { type: string; text: string; emoji?: boolean }[] {
  const out: { type: string; text: string; emoji?: boolean }[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const object = value as { type?: unknown; text?: unknown };
      if (object.type === type && typeof object.text === 'string') out.push(value as { type: string; text: string });
      Object.values(value).forEach(walk);
    }
  };
  walk(blocks);
  return out;
}
