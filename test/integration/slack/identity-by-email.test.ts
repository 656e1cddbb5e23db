import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS, VIEWS } from '../../../src/adapters/slack/render/action-ids.ts';
import { REQUEST_FORM } from '../../../src/adapters/slack/render/request-form.ts';
import type { FakeSlackUser } from '../../fakes/slack/fake-slack-server.ts';
import { viewSubmission } from '../../fakes/slack/slack-sender.ts';
import { startSlackWorld, type SlackWorld } from './slack-harness.ts';

let world: SlackWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** UNEWHIRE has no explicit link; Slack reports alice's address for it. */
async function matchedNewHire(overrides?: FakeSlackUser): Promise<SlackWorld> {
  const w = await startSlackWorld({ env: { SLACK_IDENTITY_EMAIL_LOOKUP: 'true' } });
  w.fake.addUser('UNEWHIRE', 'alice@example.com', overrides);
  return w;
}

describe('identity by e-mail, the weaker path', () => {
  it('audits an action by an e-mail-matched account with the platform, the chat user id and matched_by: email', async () => {
    world = await matchedNewHire();
    await world.command('newhire', 'prod-db-admin 1h INC-1');
    const [request] = await world.store.listRequests({});
    expect(request?.requesterId).toBe('alice');
    const created = (await world.store.listAudit(0, 100)).find((r) => r.type === 'request.created');
    expect(created?.data).toMatchObject({ via: 'slack', chatUserId: 'UNEWHIRE', matched_by: 'email' });
    expect(created?.data).not.toMatchObject({ via: 'direct' });
  });

  it.each<[string, FakeSlackUser]>([
    ['a guest (single-channel)', { is_ultra_restricted: true, is_restricted: true }],
    ['a guest (multi-channel)', { is_restricted: true }],
    ['an account whose e-mail address is not confirmed', { is_email_confirmed: false }],
    ['a Slack Connect user from another organisation', { is_stranger: true, team_id: 'T0OTHERORG' }],
    ['a member of another workspace', { team_id: 'T0OTHERORG' }],
    ['a deactivated account', { deleted: true }],
  ])('refuses to match %s, which stays unlinked', async (_name, overrides) => {
    world = await matchedNewHire(overrides);
    const { replies } = await world.command('newhire', 'prod-db-admin 1h INC-1');
    expect(replies.at(-1)?.text).toMatch(/not linked/);
    expect(await world.store.listRequests({})).toEqual([]);
    expect(world.logs.entries.some((l) => l.msg === 'slack: an unlinked user was not matched by e-mail' && l.slack_user === 'UNEWHIRE')).toBe(true);
  });

  it('tells an e-mail-matched account only that the form made the request, and sends its outcomes to linked accounts alone', async () => {
    world = await matchedNewHire();
    const values = {
      [REQUEST_FORM.scope.block]: { [REQUEST_FORM.scope.action]: { type: 'static_select', selected_option: { value: 'prod-db-admin' } } },
      [REQUEST_FORM.duration.block]: { [REQUEST_FORM.duration.action]: { type: 'plain_text_input', value: '30m' } },
      [REQUEST_FORM.reason.block]: { [REQUEST_FORM.reason.action]: { type: 'plain_text_input', value: 'INC-5 from the form' } },
    };
    await world.sender.interaction(viewSubmission({ userId: 'UNEWHIRE', callbackId: VIEWS.requestForm, values }));
    await world.adapter.idle();
    const [request] = await world.store.listRequests({ requesterId: 'alice' });
    expect(request).toBeDefined();
    await world.click('bob', ACTIONS.approve, request!.id);

    const toNewHire = world.dmsTo('newhire').map((dm) => dm.text);
    expect(toNewHire).toEqual([expect.stringMatching(new RegExp(`Your request \`${request!.id}\` was made\\. This Slack account is matched to you by e-mail, not linked`))]);
    // The outcome (and the offer of the token) went to alice's linked account.
    expect(world.dmsTo('alice').map((dm) => dm.text).join('\n')).toMatch(/was decided/);
  });
});
