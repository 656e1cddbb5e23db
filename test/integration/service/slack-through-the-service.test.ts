import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/slack/render/action-ids.ts';
import { startService, type RunningService } from '../../../src/main.ts';
import { FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack } from '../../fakes/slack/fake-slack-server.ts';
import { buttonClick, SlackSender, TEST_SIGNING_SECRET } from '../../fakes/slack/slack-sender.ts';
import { eventually } from '../../support/eventually.ts';
import { loopbackServiceEnv } from '../../support/loopback-service-env.ts';
import { LogCapture } from '../../support/log-capture.ts';

const CONFIG = `
admins: [erin]
principals:
  - { id: alice, slack: UALICE }
  - { id: bob, slack: UBOB }
  - { id: erin, slack: UERIN }
scopes:
  - { name: prod-db-admin, description: Administer the production database, oauth_scope: db:admin, audience: https://db.example.com, max_duration: 2h, approvers: [bob] }
channels:
  - { platform: slack, channel: C0REVIEW, scopes: [prod-db-admin] }
`;

/**
 * The whole service as `npm start` composes it — PGlite store, embedded development AS, Slack
 * adapter mounted on the one server — driven by signed Slack requests against a fake Web API.
 */
describe('Slack through the running service', () => {
  let service: RunningService | undefined;
  let fake: FakeSlack | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await service?.stop();
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });


  it('refuses to start with a bot token Slack rejects, and leaves nothing locked or listening', async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-slack-service-'));
    fake = await startFakeSlack();
    const env = { ...(await loopbackServiceEnv(dir)), SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, SLACK_API_URL: fake.apiUrl };
    const failed = await startService({ ...env, SLACK_BOT_TOKEN: 'xoxb-revoked-token' }, { logDestination: new LogCapture() }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 'config_invalid', message: expect.stringMatching(/Slack refused SLACK_BOT_TOKEN \(invalid_auth\)/) });
    expect(String((failed as Error).message)).not.toContain('xoxb-revoked-token');
    // The same data directory and port are free for the next attempt.
    service = await startService({ ...env, SLACK_BOT_TOKEN: FAKE_BOT_TOKEN }, { logDestination: new LogCapture() });
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
  });

  it('warns at start of a scope whose reviewer channels are all on Teams while only Slack is on', async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-slack-service-'));
    const teamsOnly = CONFIG.replace(
      'channels:',
      '  - { name: k8s-admin, description: Administer the clusters, oauth_scope: k8s:admin, audience: https://k8s.example.com, max_duration: 1h, approvers: [bob] }\nchannels:\n  - { platform: teams, channel: "19:k8s@thread.tacv2", scopes: [k8s-admin] }',
    );
    writeFileSync(join(dir, 'elevate.yaml'), teamsOnly);
    fake = await startFakeSlack();
    const logs = new LogCapture();
    const env = { ...(await loopbackServiceEnv(dir)), ELEVATE_CONFIG: join(dir, 'elevate.yaml'), SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, SLACK_BOT_TOKEN: FAKE_BOT_TOKEN, SLACK_API_URL: fake.apiUrl };
    service = await startService(env, { logDestination: logs });
    const warnings = logs.messages().filter((m) => m.includes('every reviewer channel'));
    expect(warnings).toEqual([
      'scope k8s-admin: every reviewer channel is on teams, which is off here (teams:19:k8s@thread.tacv2); its requests would be stored but posted nowhere. Turn teams on or map a channel on slack.',
    ]);
  });

  it('takes /elevate to an approval in the mapped channel, a real token exchange and an updated message', async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-slack-service-'));
    writeFileSync(join(dir, 'elevate.yaml'), CONFIG);
    fake = await startFakeSlack();
    fake.addChannel('C0REVIEW');
    const base = await loopbackServiceEnv(dir);
    const logs = new LogCapture();
    service = await startService(
      {
        ...base,
        ELEVATE_CONFIG: join(dir, 'elevate.yaml'),
        SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
        SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
        SLACK_API_URL: fake.apiUrl,
      },
      { logDestination: logs },
    );
    expect(logs.messages().join('\n')).toMatch(/slack: on/);
    const sender = new SlackSender(`${service.url}/slack/events`);
    const store = service.deps.store;

    const unsigned = await sender.command({ userId: 'UALICE', text: 'prod-db-admin 1h INC-1', responseUrl: fake.responseUrl(), triggerId: fake.triggerId() }, { signature: null });
    expect(unsigned.status).toBe(401);
    expect(await store.listRequests({})).toEqual([]);

    const sent = await sender.command({ userId: 'UALICE', text: 'prod-db-admin 1h INC-1 rotate the replica password', responseUrl: fake.responseUrl(), triggerId: fake.triggerId() });
    expect(sent.status).toBe(200);
    await eventually(async () => (await store.listRequests({ requesterId: 'alice' })).length === 1 && fake!.callsTo('chat.postMessage').length > 0);
    const request = (await store.listRequests({ requesterId: 'alice' }))[0]!;
    await eventually(async () => (await store.listPostedMessages(request.id)).length === 1);
    fake.expectCall('chat.postMessage', (args) => args.channel === 'C0REVIEW');

    await sender.interaction(buttonClick({ userId: 'UBOB', actionId: ACTIONS.approve, value: request.id, channelId: 'C0REVIEW', triggerId: fake.triggerId(), responseUrl: fake.responseUrl() }));
    await eventually(async () => (await store.getGrantByRequest(request.id))?.status === 'active');
    const grant = (await store.getGrantByRequest(request.id))!;
    const token = service.deps.cipher.open(grant.tokenSealed!, grant.id);
    expect(await service.deps.issuer.introspect(token)).toMatchObject({ active: true, sub: 'alice', approvers: ['bob'] });
    await eventually(async () => fake!.callsTo('chat.update').length > 0);
    expect(logs.text()).not.toContain(token);
    expect(fake.rawBodies.join('\n')).not.toContain(token);
  });
});
