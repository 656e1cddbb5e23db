import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveChangeFeed } from '../../src/adapters/web/dashboard/live/change-feed.ts';
import { MemoryStore } from '../../src/adapters/store/memory/memory-store.ts';
import { html } from '../../src/shared/html/html.ts';
import { browserAvailable, launchBrowser, type LaunchedBrowser } from '../support/browser.ts';
import { T0 } from '../support/builders.ts';
import { eventually } from '../support/eventually.ts';
import { FakeClock } from '../support/fake-clock.ts';

const LIVE_JS = readFileSync(new URL('../../src/adapters/web/assets/live.js', import.meta.url), 'utf8');
/** The dashboard's policy for scripts: only files of this origin, which may talk back to it. */
const CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * A page shaped like a live dashboard page, served with the change feed and live.js under the
 * dashboard's CSP: its main says how many audit records the store holds, and has a form.
 */
async function liveSite(store: MemoryStore, options: { beforeFeed?: () => Promise<unknown> } = {}) {
  const stopping = new AbortController();
  const feeds = { opened: 0 };
  const server: Server = createServer((req, res) => {
    if (req.url === '/events') {
      feeds.opened += 1;
      return void (options.beforeFeed?.() ?? Promise.resolve()).then(() => serveChangeFeed(req, res, { store, signal: stopping.signal, pollMs: 50 }));
    }
    if (req.url === '/assets/live.js') return void res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'content-security-policy': CSP }).end(LIVE_JS);
    void store.getAuditHead().then((head) => {
      const page = html`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Live</title></head><body>
<main data-live="on"><p id="version">version ${head?.seq ?? 0}</p>
<form method="post" action="/page"><label for="reason">Reason</label><textarea id="reason" name="reason"></textarea><button type="submit">Send</button></form></main>
<a href="/elsewhere" id="outside">Elsewhere</a>
<script src="/assets/live.js"></script></body></html>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP, 'cache-control': 'no-store' }).end(page.markup);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    feeds,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/page`,
    close: () => {
      stopping.abort();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

const change = (store: MemoryStore) => store.transaction((tx) => tx.appendAudit({ type: 'request.created', actor: 'alice' }));
const version = (page: Page) => page.locator('#version').textContent();

describe.skipIf(!browserAvailable())('live updates in Chromium', () => {
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    browser = (await launchBrowser())!;
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('swaps in the page’s new main content on a change, but never while the person is writing in its form', async () => {
    const store = new MemoryStore(new FakeClock(T0));
    const site = await liveSite(store);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    try {
      await page.goto(site.url);
      expect(await version(page)).toBe('version 0');
      await eventually(async () => site.feeds.opened === 1);
      await change(store);
      await page.locator('#version', { hasText: 'version 1' }).waitFor();

      await page.locator('#reason').fill('half a reason');
      await change(store);
      await page.locator('#outside').focus();
      // Long enough for several polls of the feed and a fetch: the typed text must still be there.
      await page.waitForTimeout(600);
      expect(await version(page)).toBe('version 1');
      expect(await page.locator('#reason').inputValue()).toBe('half a reason');

      // A keyboard user on the form's button keeps their place too.
      await page.locator('#reason').fill('');
      await page.getByRole('button', { name: 'Send' }).focus();
      await page.waitForTimeout(600);
      expect(await version(page)).toBe('version 1');

      await page.locator('#outside').focus();
      await page.locator('#version', { hasText: 'version 2' }).waitFor();
      expect(problems).toEqual([]);
    } finally {
      await page.close();
      await site.close();
    }
  });

  it('catches a change made between the page’s rendering and the feed’s first reading', async () => {
    const store = new MemoryStore(new FakeClock(T0));
    const site = await liveSite(store, { beforeFeed: () => change(store) });
    const page = await browser.newPage();
    try {
      await page.goto(site.url);
      await page.locator('#version', { hasText: 'version 1' }).waitFor();
    } finally {
      await page.close();
      await site.close();
    }
  });
});
