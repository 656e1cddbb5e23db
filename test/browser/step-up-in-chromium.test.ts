import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../src/main.ts';
import { personToken } from '../support/dev-as-tokens.ts';
import { LogCapture } from '../support/log-capture.ts';
import { loopbackServiceEnv } from '../support/loopback-service-env.ts';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const available = existsSync(CHROMIUM);
if (!available && process.env['ELEVATE_REQUIRE_BROWSER'] === '1') throw new Error(`no ${CHROMIUM}: apt-get install -y chromium`);
if (!available) console.warn(`skipped: no ${CHROMIUM} for the browser tests (apt-get install -y chromium)`);

const CONFIG = `
principals:
  - { id: alice, name: Alice }
  - { id: bob, name: Bob }
scopes:
  - name: prod-admin
    description: Administer production
    oauth_scope: prod:admin
    audience: https://prod.example.com
    max_duration: 2h
    approvers: [bob]
    requesters: [alice]
    mfa: { requester: true, approver: true, max_age: 5m, acr_values: ["0"], amr: [otp, mfa] }
channels:
  - { platform: slack, channel: C0REVIEW, scopes: [prod-admin] }
`;

/**
 * The step-up pages in a real browser (Debian's chromium through playwright-core): the page's
 * button, the redirect to the provider under the page's CSP, the development login, the cookie
 * that binds the sign-in to this browser, and the result page — with no CSP violation on the way.
 */
describe.skipIf(!available)('step-up in Chromium', () => {
  let service: RunningService;
  let browser: Browser;
  let dir: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-step-up-browser-'));
    writeFileSync(join(dir, 'elevate.yaml'), CONFIG);
    service = await startService({ ...(await loopbackServiceEnv(dir)), ELEVATE_CONFIG: join(dir, 'elevate.yaml') }, { logDestination: new LogCapture() });
    for (const person of ['alice', 'bob']) tokens[person] = await personToken(service.url, person);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function api(principal: string, path: string, body?: unknown) {
    const response = await fetch(`${service.url}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[principal]}`, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    return (await response.json()) as any;
  }

  it('takes an approver from the link through the sign-in to a recorded approval', async () => {
    const requestId = (await api('alice', '/requests', { scope: 'prod-admin', duration: '30m', reason: 'incident 42' })).request.id as string;
    const link = (await api('bob', `/requests/${requestId}/verification-link`)).url as string;
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });

    await page.goto(link);
    expect(await page.locator('h1').textContent()).toBe('Verify to approve');
    await page.getByRole('button', { name: 'Continue to sign-in' }).click();
    await page.locator('button[value="bob"]').click();
    await page.waitForURL(/\/auth\/step-up\/callback/);
    expect(await page.locator('h1').textContent()).toBe('Verified: approval recorded');
    expect(await page.content()).toContain(requestId);
    expect((await context.cookies()).filter((cookie) => cookie.name.includes('step-up'))).toEqual([]);
    expect(violations).toEqual([]);
    expect((await service.deps.store.listReviews(requestId)).map((review) => [review.approverId, review.decision])).toEqual([['bob', 'approve']]);
    await context.close();
  });
});
