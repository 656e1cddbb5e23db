import { afterEach, describe, expect, it } from 'vitest';
import { slackId, startSlackWorld, type SlackWorld } from './slack-harness.ts';

let world: SlackWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function commandFields(w: SlackWorld, text: string): Record<string, string> {
  return { team_id: 'T0FAKE', channel_id: 'C0GENERAL', user_id: slackId('alice'), command: '/elevate', text, api_app_id: 'A0ELEVATE', response_url: w.fake.responseUrl(), trigger_id: w.fake.triggerId() };
}

function slackCallsBeyondStartup(w: SlackWorld) {
  return w.fake.calls.filter((c) => c.method !== 'auth.test');
}

describe('/slack/events accepts each kind only in the encoding Slack sends it in', () => {
  it('refuses a signed JSON body carrying slash-command fields with 400 and runs nothing', async () => {
    world = await startSlackWorld();
    const sent = await world.sender.send(JSON.stringify(commandFields(world, 'prod-db-admin 1h INC-1 as json')), 'application/json');
    await world.adapter.idle();
    expect(sent.status).toBe(400);
    expect(await world.store.listRequests({})).toEqual([]);
    expect(slackCallsBeyondStartup(world)).toEqual([]);
    expect(world.fake.responses).toEqual([]);
  });

  it('refuses a signed JSON event_callback that carries a command instead of an event', async () => {
    world = await startSlackWorld();
    const sent = await world.sender.send(JSON.stringify({ type: 'event_callback', ...commandFields(world, 'prod-db-admin 1h INC-1 smuggled') }), 'application/json');
    await world.adapter.idle();
    expect(sent.status).toBe(400);
    expect(await world.store.listRequests({})).toEqual([]);
  });

  it('refuses a signed interactivity payload sent as JSON instead of a form', async () => {
    world = await startSlackWorld();
    const sent = await world.sender.send(JSON.stringify({ payload: JSON.stringify({ type: 'block_actions', actions: [] }) }), 'application/json');
    expect(sent.status).toBe(400);
  });

  it('refuses a signed Events API envelope sent as a form, and a body of another content type', async () => {
    world = await startSlackWorld();
    const asForm = await world.sender.send(new URLSearchParams({ payload: JSON.stringify({ type: 'event_callback', event: { type: 'app_home_opened' } }) }).toString(), 'application/x-www-form-urlencoded');
    const asText = await world.sender.send(new URLSearchParams(commandFields(world, 'prod-db-admin 1h INC-1 text')).toString(), 'text/plain');
    await world.adapter.idle();
    expect([asForm.status, asText.status]).toEqual([400, 400]);
    expect(await world.store.listRequests({})).toEqual([]);
  });

  it('still runs a form-encoded command and answers a JSON url_verification with its challenge', async () => {
    world = await startSlackWorld();
    const { sent } = await world.command('alice', 'prod-db-admin 1h INC-1 the real thing');
    expect(sent.status).toBe(200);
    expect(await world.store.listRequests({})).toHaveLength(1);
    const verification = await world.sender.send(JSON.stringify({ token: 'x', challenge: 'challenge-3f1a', type: 'url_verification' }), 'application/json');
    expect(verification.status).toBe(200);
    expect(verification.body).toContain('challenge-3f1a');
  });
});
