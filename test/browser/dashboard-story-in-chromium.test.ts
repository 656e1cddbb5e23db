import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../src/main.ts';
import { browserAvailable, launchBrowser, type LaunchedBrowser } from '../support/browser.ts';
import { shootAtBothWidths, signInToDashboard, stepUpAtDevAs, watchCspViolations } from '../support/dashboard-browser.ts';
import { eventually, eventuallyFound } from '../support/eventually.ts';
import { LogCapture } from '../support/log-capture.ts';
import { loopbackServiceEnv } from '../support/loopback-service-env.ts';

/** Both people verify within 8 s of the action: the test lets a sign-in grow older than that to see the step-up. */
const MAX_AGE_SEC = 8;
const CONFIG = `
principals:
  - { id: alice, name: Alice Requester }
  - { id: bob, name: Bob Approver }
  - { id: erin, name: Erin Admin }
admins: [erin]
scopes:
  - name: prod-admin
    description: Administer production
    oauth_scope: prod:admin
    audience: https://prod.example.com
    max_duration: 2h
    approvers: [bob]
    requesters: [alice]
    mfa: { requester: true, approver: true, max_age: ${MAX_AGE_SEC}s, amr: [otp, mfa] }
channels:
  - { platform: slack, channel: C0REVIEW, scopes: [prod-admin] }
`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Issue 17's whole story on embedded defaults (PGlite, the development AS with its TOTP login), in
 * Chromium, with no chat workspace: Alice signs in and requests; Bob, in a browser of his own,
 * approves through a step-up; Alice verifies (another step-up), reveals the token — active at the
 * AS — and ends it; Erin's audit page shows each event and the chain intact.
 */
describe.skipIf(!browserAvailable())('the dashboard, in Chromium', () => {
  let service: RunningService;
  let dir: string;
  let alice: LaunchedBrowser;
  let bob: LaunchedBrowser;
  const logs = new LogCapture();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-dashboard-'));
    writeFileSync(join(dir, 'elevate.yaml'), CONFIG);
    service = await startService({ ...(await loopbackServiceEnv(dir)), ELEVATE_CONFIG: join(dir, 'elevate.yaml') }, { logDestination: logs });
    alice = (await launchBrowser())!;
    bob = (await launchBrowser())!;
  }, 180_000);

  afterAll(async () => {
    await alice?.close();
    await bob?.close();
    await service?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('takes a request from sign-in to an ended grant, every step in the browser', async () => {
    const page = await alice.newPage();
    const violations = watchCspViolations(page);
    await signInToDashboard(page, service.url, 'alice', dir, { screenshotPrefix: 'dashboard-1-alice-login' });
    expect(new URL(page.url()).pathname).toBe('/access');
    await shootAtBothWidths(page, 'dashboard-2-my-access-empty');

    await page.getByLabel('Scope', { exact: true }).selectOption('prod-admin');
    await page.getByLabel(/^Duration/).fill('30m');
    await page.getByLabel(/^Reason/).fill('INC-42: fix the replication lag');
    await page.getByRole('button', { name: 'Request', exact: true }).click();
    await page.getByText('Your request is sent to its reviewers.').waitFor();
    const requestId = await eventuallyFound(async () => (await service.deps.store.listRequests({ requesterId: 'alice' }))[0]?.id);
    expect((await service.deps.store.getRequest(requestId))?.source).toBe('web');
    await shootAtBothWidths(page, 'dashboard-3-my-access-pending');

    // Bob, in a browser of his own, signs in and lets that sign-in grow older than the scope's max_age.
    const bobsPage = await bob.newPage();
    const bobsViolations = watchCspViolations(bobsPage);
    await signInToDashboard(bobsPage, service.url, 'bob', dir, { path: '/review' });
    expect(new URL(bobsPage.url()).pathname).toBe('/review');
    await sleep((MAX_AGE_SEC + 1) * 1000);
    await bobsPage.reload();
    await bobsPage.getByText('INC-42: fix the replication lag').waitFor();
    await shootAtBothWidths(bobsPage, 'dashboard-4-review');
    await bobsPage.getByRole('button', { name: 'Approve' }).click();
    // Too old a sign-in for an approval on this scope: the provider asks again, then the approval runs.
    await stepUpAtDevAs(bobsPage, 'bob', dir, 'dashboard-5-bob-step-up');
    await bobsPage.getByText('Approved.').waitFor();
    expect((await service.deps.store.listReviews(requestId)).map((review) => review.approverId)).toEqual(['bob']);
    expect((await service.deps.store.getRequest(requestId))?.status).toBe('verifying');

    // Alice's page follows without a reload; her own sign-in is too old by now, so verifying asks again.
    await page.getByRole('button', { name: 'Verify and receive' }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Verify and receive' }).click();
    await stepUpAtDevAs(page, 'alice', dir, 'dashboard-6-alice-step-up');
    await page.getByText('Verified. Your token is issued.').waitFor();
    const grant = await eventuallyFound(async () => {
      const found = await service.deps.store.getGrantByRequest(requestId);
      return found?.status === 'active' ? found : undefined;
    });
    await shootAtBothWidths(page, 'dashboard-7-my-access-active');

    // The token of a scope whose requesters verify is shown only to a sign-in within max_age:
    // let Alice's grow older, so revealing asks for one more.
    await sleep((MAX_AGE_SEC + 1) * 1000);
    await page.getByRole('button', { name: 'Reveal token' }).click();
    await stepUpAtDevAs(page, 'alice', dir, 'dashboard-8-alice-reveal-step-up');
    const token = (await page.locator('#token').innerText()).trim();
    expect(token.length).toBeGreaterThan(20);
    expect(page.url()).not.toContain(token);
    await shootAtBothWidths(page, 'dashboard-8-token');
    expect(await service.deps.issuer.introspect(token)).toMatchObject({ active: true, sub: 'alice' });

    await page.goto(`${service.url}/access`);
    await page.getByRole('button', { name: 'End now' }).click();
    await page.getByText(/The grant is ended/).waitFor();
    await eventually(async () => (await service.deps.store.getGrant(grant.id))?.status === 'revoked');
    expect((await service.deps.issuer.introspect(token)).active).toBe(false);

    expect(violations).toEqual([]);
    expect(bobsViolations).toEqual([]);

    // Erin, the admin, sees each event of the story in the audit trail, the chain intact.
    const erin = (await launchBrowser())!;
    try {
      const erinsPage = await erin.newPage();
      const erinsViolations = watchCspViolations(erinsPage);
      await signInToDashboard(erinsPage, service.url, 'erin', dir, { path: '/audit?person=alice' });
      expect(new URL(erinsPage.url()).search).toBe('?person=alice');
      await erinsPage.getByText('Chain intact:').waitFor();
      const trail = await erinsPage.locator('main').innerText();
      for (const event of ['request.created', 'review.recorded', 'request.verified', 'grant.issued', 'grant.delivered', 'grant.revoked']) expect(trail, event).toContain(event);
      expect(trail).toContain(requestId);
      await shootAtBothWidths(erinsPage, 'dashboard-9-audit');
      const [download] = await Promise.all([erinsPage.waitForEvent('download'), erinsPage.getByRole('link', { name: /Export/ }).click()]);
      const exported = (await readFile((await download.path())!, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { type: string; hash: string });
      expect(exported.map((record) => record.type)).toEqual(expect.arrayContaining(['request.created', 'grant.issued', 'grant.revoked']));
      expect(exported.every((record) => typeof record.hash === 'string')).toBe(true);
      await erinsPage.goto(`${service.url}/operations`);
      await erinsPage.getByRole('heading', { name: 'Operations', level: 1 }).waitFor();
      await shootAtBothWidths(erinsPage, 'dashboard-10-operations');
      expect(erinsViolations).toEqual([]);
    } finally {
      await erin.close();
    }
    // No token in any log line.
    expect(logs.text()).not.toContain(token);
  }, 240_000);
});
