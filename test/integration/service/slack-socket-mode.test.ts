import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/slack/render/action-ids.ts';
import { startService, type RunningService } from '../../../src/main.ts';
import { FAKE_APP_TOKEN, FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack } from '../../fakes/slack/fake-slack-server.ts';
import { startFakeSocketMode, type FakeSocketMode } from '../../fakes/slack/fake-socket-mode.ts';
import { buttonClick, TEST_SIGNING_SECRET } from '../../fakes/slack/slack-sender.ts';
import { eventually } from '../../support/eventually.ts';
import { loopbackServiceEnv } from '../../support/loopback-service-env.ts';
import { LogCapture } from '../../support/log-capture.ts';

const CONFIG = `
principals:
  - { id: alice, slack: UALICE }
  - { id: bob, slack: UBOB }
scopes:
  - { name: prod-db-admin, description: Administer the production database, oauth_scope: db:admin, audience: https://db.example.com, max_duration: 2h, approvers: [bob] }
channels:
  - { platform: slack, channel: C0REVIEW, scopes: [prod-db-admin] }
`;

/**
 * Socket Mode (SLACK_APP_TOKEN): no public URL; the service opens a WebSocket to Slack through
 * apps.connections.open at SLACK_API_URL and receives commands and clicks as envelopes.
 */
describe('Slack in Socket Mode through the running service', () => {
  let service: RunningService | undefined;
  let fake: FakeSlack | undefined;
  let socket: FakeSocketMode | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await service?.stop();
    await socket?.close();
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });


  it('connects with the app token, takes /elevate and an approval as envelopes, and issues the grant', async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-socket-mode-'));
    writeFileSync(join(dir, 'elevate.yaml'), CONFIG);
    fake = await startFakeSlack();
    fake.addChannel('C0REVIEW');
    socket = await startFakeSocketMode();
    fake.setSocketModeUrl(socket.url);
    const base = await loopbackServiceEnv(dir);
    const logs = new LogCapture();
    service = await startService(
      {
        ...base,
        ELEVATE_CONFIG: join(dir, 'elevate.yaml'),
        SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
        SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
        SLACK_APP_TOKEN: FAKE_APP_TOKEN,
        SLACK_API_URL: fake.apiUrl,
      },
      { logDestination: logs },
    );
    await socket.connected();
    fake.expectCall('apps.connections.open');
    expect(logs.messages().join('\n')).toMatch(/slack: connected in Socket Mode/);
    // In Socket Mode nothing is served at /slack/events.
    expect((await fetch(`${service.url}/slack/events`, { method: 'POST' })).status).toBe(404);

    const ack = await socket.deliver('slash_commands', {
      token: 'deprecated',
      team_id: 'T0FAKE',
      channel_id: 'C0GENERAL',
      user_id: 'UALICE',
      command: '/elevate',
      text: 'prod-db-admin 1h INC-1 rotate the replica password',
      api_app_id: 'A0ELEVATE',
      response_url: fake.responseUrl(),
      trigger_id: fake.triggerId(),
    });
    expect(ack.envelope_id).toEqual(expect.any(String));
    const store = service.deps.store;
    await eventually(async () => (await store.listRequests({ requesterId: 'alice' })).length === 1);
    const request = (await store.listRequests({ requesterId: 'alice' }))[0]!;
    await eventually(async () => (await store.listPostedMessages(request.id)).length === 1);
    fake.expectCall('chat.postMessage', (args) => args.channel === 'C0REVIEW');

    await socket.deliver('interactive', buttonClick({ userId: 'UBOB', actionId: ACTIONS.approve, value: request.id, channelId: 'C0REVIEW', triggerId: fake.triggerId(), responseUrl: fake.responseUrl() }));
    await eventually(async () => (await store.getGrantByRequest(request.id))?.status === 'active');
  });
});
