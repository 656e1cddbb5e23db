import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS, VIEWS } from '../../../src/adapters/slack/render/action-ids.ts';
import { REQUEST_FORM } from '../../../src/adapters/slack/render/request-form.ts';
import { viewSubmission } from '../../fakes/slack/slack-sender.ts';
import { buttonsOf, slackId, startSlackWorld, textOf, type SlackWorld } from './slack-harness.ts';

let world: SlackWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('mistakes in /elevate get a private message that says what to fix, and store nothing', () => {
  it.each([
    ['an unknown scope', 'alice', 'prod-db-root 1h INC-1 typo', /no scope called "prod-db-root".*Scopes you can request: prod-db-admin/],
    ['a duration over the maximum', 'alice', 'prod-db-admin 5h INC-1 long', /5h is longer than prod-db-admin allows; ask for 4h or less/],
    ['a malformed duration', 'alice', 'prod-db-admin soon INC-1', /Add a duration after the scope, such as 15m, 1h or 1h30m/],
    ['a missing reason', 'alice', 'prod-db-admin 1h', /Say why you need it/],
    ['an unlinked Slack user', 'mallory', 'prod-db-admin 1h INC-1', /not linked to an Elevate identity/],
  ])('%s', async (_what, user, text, expected) => {
    world = await startSlackWorld();
    const { sent, replies } = await world.command(user, text);
    expect(sent.status).toBe(200);
    const answer = replies.length > 0 ? replies.map((r) => String(r.text)).join('\n') : String(JSON.parse(sent.body || '{}').text);
    expect(answer).toMatch(expected);
    expect(await world.store.listRequests({})).toEqual([]);
  });

  it('a requester who is not allowed to request the scope', async () => {
    world = await startSlackWorld({ scope: { requesters: ['bob'] } });
    const { replies } = await world.command('alice', 'prod-db-admin 1h INC-1');
    expect(replies.at(-1)?.text).toMatch(/not allowed to request prod-db-admin/);
    expect(await world.store.listRequests({})).toEqual([]);
  });

  it('a scope with no reviewer channel', async () => {
    world = await startSlackWorld();
    await world.store.transaction((tx) => tx.removeChannelMapping({ platform: 'slack', channelId: 'C0REVIEWERS', scopeName: 'prod-db-admin' }));
    const { replies } = await world.command('alice', 'prod-db-admin 1h INC-1');
    expect(replies.at(-1)?.text).toMatch(/has no reviewer channel yet/);
    expect(await world.store.listRequests({})).toEqual([]);
  });

  it('answers help in the acknowledgement itself', async () => {
    world = await startSlackWorld();
    const { sent } = await world.command('alice', 'help');
    expect(JSON.parse(sent.body)).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('/elevate <scope> <duration> <reason>') });
  });
});

describe('a requester in Slack', () => {
  it('is told when no reviewer channel could be reached', async () => {
    world = await startSlackWorld();
    await world.store.transaction(async (tx) => {
      await tx.removeChannelMapping({ platform: 'slack', channelId: 'C0REVIEWERS', scopeName: 'prod-db-admin' });
      await tx.addChannelMapping({ platform: 'slack', channelId: 'C0ARCHIVED', scopeName: 'prod-db-admin' });
    });
    const { replies } = await world.command('alice', 'prod-db-admin 1h INC-1');
    expect(replies.at(-1)?.text).toMatch(/no reviewer channel could be reached \(An API error occurred: not_in_channel\)/);
  });

  it('lists pending requests and active grants, and ends a grant with done', async () => {
    world = await startSlackWorld();
    await world.command('alice', 'prod-db-admin 1h INC-1 first');
    const [request] = await world.store.listRequests({ requesterId: 'alice' });
    expect((await world.command('alice', 'list')).replies.at(-1)?.text).toMatch(/Pending requests.*r-1/s);
    await world.click('bob', ACTIONS.approve, request!.id);
    const grant = (await world.store.getGrantByRequest(request!.id))!;
    expect((await world.command('alice', 'list')).replies.at(-1)?.text).toMatch(new RegExp(`Active grants.*${grant.id}`, 's'));
    const done = await world.command('alice', `done ${grant.id}`);
    expect(done.replies.at(-1)?.text).toMatch(/has ended; its token is revoked/);
    expect((await world.store.getGrant(grant.id))?.status).toBe('revoked');
    expect(textOf((await world.approvalMessage(request!.id)).blocks)).toMatch(/the requester ended it early/);
  });

  it('cancels a pending request, which removes the buttons from the approval message', async () => {
    world = await startSlackWorld();
    await world.command('alice', 'prod-db-admin 1h INC-1');
    const [request] = await world.store.listRequests({ requesterId: 'alice' });
    const { replies } = await world.command('alice', `cancel ${request!.id}`);
    expect(replies.at(-1)?.text).toMatch(/is cancelled/);
    expect(buttonsOf((await world.approvalMessage(request!.id)).blocks)).toEqual([]);
  });

  it('opens a form listing only the scopes they may request, and submits it', async () => {
    world = await startSlackWorld();
    await world.store.transaction((tx) =>
      tx.putScope({ name: 'secret-scope', description: 'Not for alice', oauthScope: 's', audience: 'https://s.example', defaultDurationSec: 60, maxDurationSec: 60, pendingTtlSec: 60, approvalsRequired: 1, approvers: ['bob'], requesters: ['bob'], reasonPattern: null, policy: { autoApprove: false, allowedHoursUtc: null, maxRequestsPerDay: null, dormantAfterDays: null }, mfa: null, remindAfterSec: null, escalation: null, extend: null, breakGlass: null }),
    );
    await world.command('alice', '');
    const view = JSON.parse(String(world.fake.expectCall('views.open').args.view)) as { callback_id: string; blocks: { element?: { options?: { value: string }[] } }[] };
    expect(view.callback_id).toBe(VIEWS.requestForm);
    expect(view.blocks[0]?.element?.options?.map((o) => o.value)).toEqual(['prod-db-admin']);

    const values = (duration: string) => ({
      [REQUEST_FORM.scope.block]: { [REQUEST_FORM.scope.action]: { type: 'static_select', selected_option: { value: 'prod-db-admin' } } },
      [REQUEST_FORM.duration.block]: { [REQUEST_FORM.duration.action]: { type: 'plain_text_input', value: duration } },
      [REQUEST_FORM.reason.block]: { [REQUEST_FORM.reason.action]: { type: 'plain_text_input', value: 'INC-5 from the form' } },
    });
    const tooLong = await world.sender.interaction(viewSubmission({ userId: slackId('alice'), callbackId: VIEWS.requestForm, values: values('9h') }));
    expect(JSON.parse(tooLong.body)).toEqual({ response_action: 'errors', errors: { [REQUEST_FORM.duration.block]: 'prod-db-admin allows at most 4h.' } });
    const ok = await world.sender.interaction(viewSubmission({ userId: slackId('alice'), callbackId: VIEWS.requestForm, values: values('45m') }));
    await world.adapter.idle();
    expect(ok.status).toBe(200);
    const [request] = await world.store.listRequests({ requesterId: 'alice' });
    expect(request).toMatchObject({ durationSec: 2700, reason: 'INC-5 from the form', source: 'slack' });
    expect(world.dmsTo('alice').map((dm) => dm.text).join('\n')).toMatch(/sent to the reviewers/);
  });

  it('is told in the form, before anything is stored, that a reason misses the scope’s pattern or a scope is not theirs', async () => {
    world = await startSlackWorld({ scope: { reasonPattern: '^INC-\\d+' } });
    await world.store.transaction((tx) =>
      tx.putScope({ name: 'secret-scope', description: 'Not for alice', oauthScope: 's', audience: 'https://s.example', defaultDurationSec: 60, maxDurationSec: 60, pendingTtlSec: 60, approvalsRequired: 1, approvers: ['bob'], requesters: ['bob'], reasonPattern: null, policy: { autoApprove: false, allowedHoursUtc: null, maxRequestsPerDay: null, dormantAfterDays: null }, mfa: null, remindAfterSec: null, escalation: null, extend: null, breakGlass: null }),
    );
    const submit = (scope: string, reason: string) =>
      world!.sender.interaction(
        viewSubmission({
          userId: slackId('alice'),
          callbackId: VIEWS.requestForm,
          values: {
            [REQUEST_FORM.scope.block]: { [REQUEST_FORM.scope.action]: { type: 'static_select', selected_option: { value: scope } } },
            [REQUEST_FORM.duration.block]: { [REQUEST_FORM.duration.action]: { type: 'plain_text_input', value: '30s' } },
            [REQUEST_FORM.reason.block]: { [REQUEST_FORM.reason.action]: { type: 'plain_text_input', value: reason } },
          },
        }),
      );
    const mismatch = JSON.parse((await submit('prod-db-admin', 'because')).body) as { errors: Record<string, string> };
    expect(mismatch.errors).toEqual({ [REQUEST_FORM.reason.block]: expect.stringMatching(/must match/) });
    const notTheirs = JSON.parse((await submit('secret-scope', 'INC-1')).body) as { errors: Record<string, string> };
    expect(notTheirs.errors).toEqual({ [REQUEST_FORM.scope.block]: expect.stringMatching(/not allowed to request secret-scope/) });
    await world.adapter.idle();
    expect(await world.store.listRequests({ requesterId: 'alice' })).toEqual([]);
  });

  it('sees pending requests and active grants in the App Home, refreshed when opened', async () => {
    world = await startSlackWorld();
    await world.command('alice', 'prod-db-admin 1h INC-1');
    await world.sender.event({ type: 'app_home_opened', user: slackId('alice'), channel: 'DALICE', tab: 'home', event_ts: '1' });
    await world.adapter.idle();
    const published = world.fake.expectCall('views.publish', (args) => args.user_id === slackId('alice'));
    expect(textOf(JSON.parse(String(published.args.view)).blocks)).toMatch(/Pending requests\* \(1\)/);
  });
});

describe('identity by e-mail', () => {
  it('is off unless configured', async () => {
    world = await startSlackWorld();
    world.fake.addUser('UNEWHIRE', 'alice@example.com');
    const { replies } = await world.command('newhire', 'prod-db-admin 1h INC-1');
    expect(replies.at(-1)?.text).toMatch(/not linked/);
    expect(world.fake.callsTo('users.info')).toEqual([]);
  });

  it('matches an unlinked Slack user to the principal with the same e-mail when configured', async () => {
    world = await startSlackWorld({ env: { SLACK_IDENTITY_EMAIL_LOOKUP: 'true' } });
    world.fake.addUser('UNEWHIRE', 'Alice@Example.com');
    const { replies } = await world.command('newhire', 'prod-db-admin 1h INC-1');
    expect(replies.at(-1)?.text).toMatch(/sent to the reviewers/);
    expect((await world.store.listRequests({}))[0]?.requesterId).toBe('alice');
  });
});
