import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { usableDevTotpCode } from './dev-totp.ts';

/**
 * Real-browser tests: Debian's chromium driven by playwright-core, which never downloads a browser.
 * Without chromium they are skipped with a message naming the install command; with
 * `ELEVATE_REQUIRE_BROWSER=1` (CI) a missing chromium fails them instead.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';
const INSTALL_HINT = 'apt-get update && apt-get install -y chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SCREENSHOTS_DIR = new URL('../screenshots/', import.meta.url).pathname;

function browserRequired(): boolean {
  return process.env.ELEVATE_REQUIRE_BROWSER === '1';
}

/**
 * Whether the browser tests can run here, for `describe.skipIf(!browserAvailable())`: false (with
 * a message) when chromium is missing; throws instead when `ELEVATE_REQUIRE_BROWSER=1`.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const message = `chromium is not installed at ${CHROMIUM_PATH}: ${INSTALL_HINT}`;
  if (browserRequired()) throw new Error(`ELEVATE_REQUIRE_BROWSER=1 but ${message}`);
  console.warn(`skipping the real-browser tests: ${message}`);
  return false;
}

export interface LaunchedBrowser {
  /** A browser with its own fresh profile: no cookies, no cache, nothing from another test. */
  readonly context: BrowserContext;
  newPage(): Promise<Page>;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** Launches headless chromium with a fresh user-data-dir, or null (see {@link browserAvailable}). */
export async function launchBrowser(): Promise<LaunchedBrowser | null> {
  if (!browserAvailable()) return null;
  const profile = mkdtempSync(join(tmpdir(), 'elevate-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 900, height: 700 },
  });
  return {
    context,
    newPage: () => context.newPage(),
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A full-page PNG at `test/screenshots/<name>.png` (git-ignored), to look at after the run. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `${name.replace(/[^A-Za-z0-9_.-]/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * The development AS's login in a real page, from its first step: clicks the person, then types
 * their one-time code (from the TOTP secrets in `dataDir`, see {@link usableDevTotpCode}: a third
 * sign-in within one 30-second step waits for the next) and submits.
 * With `screenshotPrefix`, shoots the pick and the code pages (`<prefix>-pick`, `<prefix>-code`).
 */
export async function signInAtDevAs(page: Page, principalId: string, dataDir: string, options: { screenshotPrefix?: string } = {}): Promise<void> {
  const pick = page.locator(`button[name="principal"][value="${principalId.replace(/["\\]/g, '\\$&')}"]`);
  await pick.waitFor();
  if (options.screenshotPrefix) await screenshot(page, `${options.screenshotPrefix}-pick`);
  await Promise.all([page.waitForURL(/\/interaction\/[^/]+\/login$/), pick.click()]);
  const code = page.locator('input[name="code"]');
  await code.waitFor();
  await code.fill(await usableDevTotpCode(dataDir, principalId));
  if (options.screenshotPrefix) await screenshot(page, `${options.screenshotPrefix}-code`);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
}
