import type { Page } from 'playwright-core';
import { screenshot, signInAtDevAs } from './browser.ts';

/** The widths every dashboard page is shot at: a laptop and a phone. */
export const WIDTHS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** Screenshots of the page as it is, at desktop and phone width (`test/screenshots/<name>-<width>.png`). */
export async function shootAtBothWidths(page: Page, name: string): Promise<void> {
  const before = page.viewportSize();
  for (const size of WIDTHS) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await screenshot(page, `${name}-${size.name}`);
  }
  if (before) await page.setViewportSize(before);
}

/** Collects what the browser reports as blocked by the Content-Security-Policy, as it happens. */
export function watchCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/**
 * Signs a person in to the dashboard from its sign-in page: the button, the development AS's
 * login (pick, then TOTP code), back on `/access` (or wherever `return_to` said).
 */
export async function signInToDashboard(page: Page, serviceUrl: string, principalId: string, dataDir: string, options: { path?: string; screenshotPrefix?: string } = {}): Promise<void> {
  await page.goto(`${serviceUrl}${options.path ?? '/'}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await signInAtDevAs(page, principalId, dataDir, { screenshotPrefix: options.screenshotPrefix });
  await page.waitForURL((url) => !url.pathname.startsWith('/oauth') && !url.pathname.startsWith('/auth/')).catch(async (error: unknown) => {
    await screenshot(page, `stuck-signing-in-${principalId}`);
    throw new Error(`signing in as ${principalId} stopped at ${page.url()}: ${(await page.locator('body').innerText()).slice(0, 300)}`, { cause: error });
  });
}

/**
 * Finishes a step-up the dashboard started: the development AS's login again, back on the
 * dashboard (after a redirect, or on the callback's own answer: a page such as the token's).
 */
export async function stepUpAtDevAs(page: Page, principalId: string, dataDir: string, screenshotPrefix?: string): Promise<void> {
  await signInAtDevAs(page, principalId, dataDir, { screenshotPrefix });
  await page.waitForURL((url) => !url.pathname.startsWith('/oauth')).catch(async (error: unknown) => {
    await screenshot(page, `stuck-stepping-up-${principalId}`);
    throw new Error(`a step-up of ${principalId} stopped at ${page.url()}: ${(await page.locator('body').innerText()).slice(0, 300)}`, { cause: error });
  });
}
