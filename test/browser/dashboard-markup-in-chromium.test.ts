import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../src/main.ts';
import { browserAvailable, launchBrowser, type LaunchedBrowser } from '../support/browser.ts';
import { shootAtBothWidths, signInToDashboard, watchCspViolations } from '../support/dashboard-browser.ts';
import { LogCapture } from '../support/log-capture.ts';
import { loopbackServiceEnv } from '../support/loopback-service-env.ts';

const CONFIG = `
principals:
  - { id: alice, name: "Alice <b>Bold</b>" }
  - { id: bob, name: Bob }
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

const PAYLOAD = '<script>alert(1)</script> "><img src=x onerror=alert(2)> <a href="javascript:alert(3)">click</a>';

/**
 * Markup typed by a requester (or in a display name) reaches the reviewer's page as text: no
 * script runs, no element is made of it, and the browser reports the Content-Security-Policy as
 * enforced when a script is slipped into the page anyway.
 */
describe.skipIf(!browserAvailable())('markup on the dashboard, in Chromium', () => {
  let service: RunningService;
  let dir: string;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-dashboard-markup-'));
    writeFileSync(join(dir, 'elevate.yaml'), CONFIG);
    service = await startService({ ...(await loopbackServiceEnv(dir)), ELEVATE_CONFIG: join(dir, 'elevate.yaml') }, { logDestination: new LogCapture() });
    browser = (await launchBrowser())!;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows a reason full of markup as text, on the requester’s and the reviewer’s pages', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const violations = watchCspViolations(page);
    await signInToDashboard(page, service.url, 'alice', dir);
    await page.getByLabel('Scope', { exact: true }).selectOption('db-read');
    await page.getByLabel(/^Reason/).fill(PAYLOAD);
    await page.getByRole('button', { name: 'Request', exact: true }).click();
    await page.getByText('Your request is sent to its reviewers.').waitFor();
    await expect.poll(() => page.getByText(PAYLOAD).count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    await shootAtBothWidths(page, 'dashboard-0-sign-in');
    expect(dialogs).toEqual([]);
    expect(violations).toEqual([]);

    // Bob in a browser of his own (the development AS keeps one person per browser session).
    const bobs = (await launchBrowser())!;
    try {
      await reviewAsBob(await bobs.newPage());
    } finally {
      await bobs.close();
    }
  }, 120_000);

  async function reviewAsBob(page: import('playwright-core').Page): Promise<void> {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const violations = watchCspViolations(page);
    await signInToDashboard(page, service.url, 'bob', dir, { path: '/review' });
    await page.getByText(PAYLOAD).first().waitFor();
    await page.getByText('Alice <b>Bold</b>', { exact: false }).first().waitFor();
    expect(await page.locator('main img, main script, main a[href^="javascript:"], main b').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(violations).toEqual([]);

    // A script slipped into the page anyway (as an injection would) is blocked, and said to be.
    await page.evaluate(`(() => { const s = document.createElement('script'); s.textContent = 'window.ranInline = true'; document.body.append(s); })()`);
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(await page.evaluate('window.ranInline === true')).toBe(false);
    expect(violations.join('\n')).toMatch(/Content Security Policy/);
  }
});
