import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_LOGIN_ACR } from '../../../src/adapters/oauth/index.ts';
import { aPrincipal } from '../../support/builders.ts';
import { browserAvailable, launchBrowser, screenshot, signInAtDevAs, type LaunchedBrowser } from '../../support/browser.ts';
import { serveDevAuthorizationServer, type ServedDevAuthorizationServer } from '../../fakes/oauth/dev-authorization-server-on-loopback.ts';
import { generateBotKeys } from '../../fakes/oauth/test-bot-keys.ts';

const CLI = 'elevate-cli';

/**
 * The development AS's device sign-in (what `elevate login` opens) in real chromium: the user
 * code, its confirmation, the pick, the TOTP code, with a screenshot of every page. The pages run
 * no script, so the browser sees the CSP hold: any violation is reported on the console.
 */
describe.skipIf(!browserAvailable())('the development sign-in in a real browser', { timeout: 120_000 }, () => {
  let served: ServedDevAuthorizationServer;
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    served = await serveDevAuthorizationServer({
      keys: (await generateBotKeys()).keys,
      clientId: 'elevate-bot',
      auth: { method: 'client_secret_basic', secret: 'chromium-test-secret' },
      apiClients: {
        listPrincipals: async () => [
          aPrincipal({ id: 'alice', displayName: 'Alice Example' }),
          aPrincipal({ id: 'bob', displayName: 'Bob Example' }),
        ],
      },
    });
    browser = (await launchBrowser())!;
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  async function startDeviceFlow(): Promise<{ device_code: string; user_code: string; verification_uri_complete: string }> {
    const response = await fetch(`${served.issuer}/device/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: CLI, scope: 'openid elevate', resource: served.apiAudience! }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { device_code: string; user_code: string; verification_uri_complete: string };
  }

  async function poll(deviceCode: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${served.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode, client_id: CLI }),
    });
    return (await response.json()) as Record<string, unknown>;
  }

  function consoleOf(page: Page): string[] {
    const messages: string[] = [];
    page.on('console', (message) => messages.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => messages.push(`pageerror: ${error.message}`));
    return messages;
  }

  it('signs a person in with the code from the terminal and a TOTP code, page by page', async () => {
    const device = await startDeviceFlow();
    const page = await browser.newPage();
    const console = consoleOf(page);

    await page.goto(device.verification_uri_complete);
    await expect(page.locator('input[name="user_code"]').inputValue()).resolves.toBe(device.user_code);
    await screenshot(page, 'dev-login-1-user-code');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()]);

    await expect(page.locator('h1').textContent()).resolves.toBe('Is this your terminal?');
    await expect(page.locator('code').textContent()).resolves.toBe(device.user_code);
    await screenshot(page, 'dev-login-2-confirm');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()]);

    await expect(page.locator('h1').textContent()).resolves.toBe('Who are you?');
    await signInAtDevAs(page, 'alice', served.dataDir!, { screenshotPrefix: 'dev-login-3' });

    await expect(page.locator('h1').textContent()).resolves.toBe('Signed in');
    await expect(page.locator('body').textContent()).resolves.toContain('is signed in as alice');
    await screenshot(page, 'dev-login-4-signed-in');

    const tokens = await poll(device.device_code);
    const discovery = (await (await fetch(`${served.issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
    const { payload } = await jwtVerify(tokens['access_token'] as string, createRemoteJWKSet(new URL(discovery.jwks_uri)), { issuer: served.issuer, audience: served.apiAudience! });
    expect(payload).toMatchObject({ sub: 'alice', acr: DEV_LOGIN_ACR, amr: ['otp'] });
    expect(console.filter((line) => /Content Security Policy|Refused to|pageerror/i.test(line))).toEqual([]);
    await page.close();
  });

  it('shows a wrong code as a problem on the code page, and issues nothing', async () => {
    // Signed out: the first test's session would otherwise sign this browser in without asking.
    await browser.context.clearCookies();
    const device = await startDeviceFlow();
    const page = await browser.newPage();
    await page.goto(device.verification_uri_complete);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()]);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()]);
    await Promise.all([page.waitForNavigation(), page.locator('button[name="principal"][value="bob"]').click()]);
    await page.locator('input[name="code"]').fill('000000');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('That is not the current code of bob');
    await screenshot(page, 'dev-login-5-wrong-code');
    expect(await poll(device.device_code)).toMatchObject({ error: 'authorization_pending' });
    await page.close();
  });
});
