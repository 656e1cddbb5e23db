import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/adapters/slack/render/action-ids.ts';
import { startService, type RunningService } from '../../src/main.ts';
import { FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack } from '../fakes/slack/fake-slack-server.ts';
import { buttonClick, SlackSender, TEST_SIGNING_SECRET } from '../fakes/slack/slack-sender.ts';
import { browserAvailable, launchBrowser, screenshot, type LaunchedBrowser } from '../support/browser.ts';
import { signInToDashboard, watchCspViolations } from '../support/dashboard-browser.ts';
import { eventually, eventuallyFound } from '../support/eventually.ts';
import { LogCapture } from '../support/log-capture.ts';
import { loopbackServiceEnv } from '../support/loopback-service-env.ts';

const CONFIG = `
principals:
  - { id: alice, name: Alice, slack: UALICE }
  - { id: bob, name: Bob, slack: UBOB }
scopes:
  - name: db-read
    description: Read the database
    oauth_scope: db:read
    audience: https://db.example.com
    max_duration: 2h
    approvers: [bob]
    requesters: [alice]
channels:
  - { platform: slack, channel: C0REVIEW, scopes: [db-read] }
`;

/**
 * The dashboard and Slack are two doors to one request: a request made on the dashboard is
 * posted for review in Slack, Bob's signed click there approves it, and Alice's open page shows
 * the grant without a reload; a decision on the dashboard updates the Slack message in place.
 */
describe.skipIf(!browserAvailable())('the dashboard beside Slack, in Chromium', () => {
  let service: RunningService;
  let fake: FakeSlack;
  let dir: string;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-dashboard-slack-'));
    writeFileSync(join(dir, 'elevate.yaml'), CONFIG);
    fake = await startFakeSlack();
    fake.addChannel('C0REVIEW');
    service = await startService(
      { ...(await loopbackServiceEnv(dir)), ELEVATE_CONFIG: join(dir, 'elevate.yaml'), SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, SLACK_BOT_TOKEN: FAKE_BOT_TOKEN, SLACK_API_URL: fake.apiUrl },
      { logDestination: new LogCapture() },
    );
    browser = (await launchBrowser())!;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows an approval made in Slack on the open dashboard without a reload', async () => {
    const page = await browser.newPage();
    const violations = watchCspViolations(page);
    await signInToDashboard(page, service.url, 'alice', dir);
    await page.getByLabel('Scope', { exact: true }).selectOption('db-read');
    await page.getByLabel(/^Reason/).fill('INC-9 read the orders table');
    await page.getByRole('button', { name: 'Request', exact: true }).click();
    await page.getByText('Your request is sent to its reviewers.').waitFor();
    const requestId = await eventuallyFound(async () => (await service.deps.store.listRequests({ requesterId: 'alice' }))[0]?.id);
    await eventually(async () => (await service.deps.store.listPostedMessages(requestId)).length === 1);
    await page.locator(`#request-${requestId} .badge.pending`).waitFor();
    // Mark the page: a reload would lose this, so it must still be here after the live update.
    await page.evaluate("document.documentElement.setAttribute('data-not-reloaded', 'yes')");

    const sender = new SlackSender(`${service.url}/slack/events`);
    await sender.interaction(buttonClick({ userId: 'UBOB', actionId: ACTIONS.approve, value: requestId, channelId: 'C0REVIEW', triggerId: fake.triggerId(), responseUrl: fake.responseUrl() }));

    await page.getByRole('button', { name: 'Reveal token' }).waitFor({ timeout: 15_000 });
    expect(await page.evaluate("document.documentElement.getAttribute('data-not-reloaded')")).toBe('yes');
    await screenshot(page, 'dashboard-live-after-slack-approval');
    expect(violations).toEqual([]);
  }, 120_000);

  it('updates the Slack approval message when the decision is taken on the dashboard', async () => {
    const page = await browser.newPage();
    await page.goto(`${service.url}/access`);
    await page.getByLabel('Scope', { exact: true }).selectOption('db-read');
    await page.getByLabel(/^Reason/).fill('INC-10 second look');
    await page.getByRole('button', { name: 'Request', exact: true }).click();
    const requestId = await eventuallyFound(async () => (await service.deps.store.listRequests({ requesterId: 'alice', statuses: ['pending'] }))[0]?.id);
    const posted = await eventuallyFound(async () => (await service.deps.store.listPostedMessages(requestId))[0]);

    const bobs = await launchBrowser();
    try {
      const bobsPage = await bobs!.newPage();
      await signInToDashboard(bobsPage, service.url, 'bob', dir, { path: '/review' });
      await bobsPage.getByLabel(/Reason for denying/).fill('Use the read replica instead');
      await bobsPage.getByRole('button', { name: 'Deny' }).click();
      await bobsPage.getByText(/Denied/).first().waitFor();
    } finally {
      await bobs?.close();
    }
    await eventually(async () => fake.callsTo('chat.update').some((call) => call.args['ts'] === posted.messageId && /denied/i.test(JSON.stringify(call.args))));
    expect((await service.deps.store.getRequest(requestId))?.status).toBe('denied');
  }, 120_000);
});
