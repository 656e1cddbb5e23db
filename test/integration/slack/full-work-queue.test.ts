import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACTIONS, VIEWS } from '../../../src/adapters/slack/render/action-ids.ts';
import { DENY_REASON_BLOCK, DENY_REASON_INPUT } from '../../../src/adapters/slack/render/deny-modal.ts';
import { REQUEST_FORM } from '../../../src/adapters/slack/render/request-form.ts';
import { buttonClick, viewSubmission } from '../../fakes/slack/slack-sender.ts';
import { REVIEWERS, slackId, startSlackWorld, textOf, type SlackWorld } from './slack-harness.ts';

let world: SlackWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const BUSY = /handling a burst.*nothing was stored.*try again in a minute/;

/** A pending request of alice's, posted to the reviewers (the lanes still had room). */
async function aPostedRequest(w: SlackWorld, reason = 'INC-9 posted'): Promise<string> {
  await w.command('alice', `prod-db-admin 1h ${reason}`);
  const request = (await w.store.listRequests({ requesterId: 'alice' })).find((r) => r.reason === reason);
  if (!request) throw new Error('the request was not made');
  return request.id;
}

describe('a full follow-up queue through Bolt', () => {
  it('answers /elevate at once that Elevate is busy and stores nothing, rather than piling up work', async () => {
    world = await startSlackWorld({ workLimits: { requests: { queued: 0 } } });
    const sent = await world.sender.command({ userId: slackId('alice'), text: 'prod-db-admin 1h INC-9 too busy', responseUrl: world.fake.responseUrl(), triggerId: world.fake.triggerId() });
    await world.adapter.idle();
    expect(sent.status).toBe(200);
    expect(JSON.parse(sent.body)).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(BUSY) });
    expect(await world.store.listRequests({ requesterId: 'alice' })).toEqual([]);
    expect(world.fake.callsTo('chat.postMessage')).toEqual([]);
  });

  it('answers an Approve click refused by a full decisions lane with an ephemeral reply to its response_url, and records no review', async () => {
    world = await startSlackWorld({ workLimits: { decisions: { queued: 0 } } });
    const requestId = await aPostedRequest(world);
    const before = await world.approvalMessage(requestId);
    const responseUrl = world.fake.responseUrl();
    const click = await world.sender.interaction(buttonClick({ userId: slackId('bob'), actionId: ACTIONS.approve, value: requestId, channelId: REVIEWERS, triggerId: world.fake.triggerId(), responseUrl }));
    expect(click.status).toBe(200);
    // The answer follows the acknowledgement (a click's acknowledgement carries no message).
    const w = world;
    const answers = () => w.fake.responses.filter((r) => r.path === new URL(responseUrl).pathname).map((r) => r.body);
    await vi.waitFor(() => expect(answers()).toHaveLength(1), { timeout: 5_000, interval: 10 });
    await world.adapter.idle();
    expect(answers()).toEqual([{ response_type: 'ephemeral', replace_original: false, text: expect.stringMatching(BUSY) }]);
    expect((await world.store.getRequest(requestId))?.status).toBe('pending');
    expect(await world.store.listReviews(requestId)).toEqual([]);
    expect(await world.store.getGrantByRequest(requestId)).toBeNull();
    expect((await world.approvalMessage(requestId)).versions).toBe(before.versions);
  });

  it('keeps the deny form open with the comment typed and says why, when the decisions lane is full', async () => {
    world = await startSlackWorld({ workLimits: { decisions: { queued: 0 } } });
    const requestId = await aPostedRequest(world);
    const submitted = await world.sender.interaction(
      viewSubmission({
        userId: slackId('bob'),
        callbackId: VIEWS.denyReason,
        privateMetadata: JSON.stringify({ requestId, channelId: REVIEWERS }),
        values: { [DENY_REASON_BLOCK]: { [DENY_REASON_INPUT]: { type: 'plain_text_input', value: 'Not during the freeze' } } },
      }),
    );
    await world.adapter.idle();
    expect(JSON.parse(submitted.body)).toEqual({ response_action: 'errors', errors: { [DENY_REASON_BLOCK]: expect.stringMatching(BUSY) } });
    expect((await world.store.getRequest(requestId))?.status).toBe('pending');
    expect(await world.store.listReviews(requestId)).toEqual([]);
  });

  it('keeps the request form open and says why, storing nothing, when the requests lane is full', async () => {
    world = await startSlackWorld({ workLimits: { requests: { queued: 0 } } });
    const submitted = await world.sender.interaction(
      viewSubmission({
        userId: slackId('alice'),
        callbackId: VIEWS.requestForm,
        values: {
          [REQUEST_FORM.scope.block]: { [REQUEST_FORM.scope.action]: { type: 'static_select', selected_option: { value: 'prod-db-admin' } } },
          [REQUEST_FORM.duration.block]: { [REQUEST_FORM.duration.action]: { type: 'plain_text_input', value: '1h' } },
          [REQUEST_FORM.reason.block]: { [REQUEST_FORM.reason.action]: { type: 'plain_text_input', value: 'INC-5 from the form' } },
        },
      }),
    );
    await world.adapter.idle();
    expect(JSON.parse(submitted.body)).toEqual({ response_action: 'errors', errors: { [REQUEST_FORM.reason.block]: expect.stringMatching(BUSY) } });
    expect(await world.store.listRequests({ requesterId: 'alice' })).toEqual([]);
    expect(world.dmsTo('alice')).toEqual([]);
  });
});

describe('the decisions lane', () => {
  it('decides a click and updates its message while every request slot is held by a reviewer post that does not return', async () => {
    world = await startSlackWorld({ workLimits: { requests: { concurrency: 1 } } });
    const w = world;
    const requestId = await aPostedRequest(w);

    // From now on, posts to the reviewer channel hang: the one request slot stays taken and the rest wait.
    const held = w.fake.hold('chat.postMessage', (args) => args.channel === REVIEWERS);
    for (const n of [1, 2, 3]) {
      await w.sender.command({ userId: slackId('dave'), text: `prod-db-admin 1h INC-${n} burst`, responseUrl: w.fake.responseUrl(), triggerId: w.fake.triggerId() });
    }
    await held.arrived;

    const click = await w.sender.interaction(buttonClick({ userId: slackId('bob'), actionId: ACTIONS.approve, value: requestId, channelId: REVIEWERS, triggerId: w.fake.triggerId(), responseUrl: w.fake.responseUrl() }));
    expect(click.status).toBe(200);
    await vi.waitFor(async () => expect((await w.store.getGrantByRequest(requestId))?.status).toBe('active'), { timeout: 10_000, interval: 20 });
    await vi.waitFor(async () => expect(textOf((await w.approvalMessage(requestId)).blocks)).toMatch(/Approved\* by Bob/), { timeout: 10_000, interval: 20 });
    // The burst is still held: the decision did not wait for it.
    expect(w.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === REVIEWERS)).toHaveLength(1);

    held.release();
    await w.adapter.idle();
    const posted = w.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === REVIEWERS && c.outcome === 'ok');
    expect(posted).toHaveLength(4);
    expect(await w.store.listRequests({ requesterId: 'dave' })).toHaveLength(3);
  });
});
