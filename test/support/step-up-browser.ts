import { completeDevLogin } from '../fakes/oauth/device-sign-in.ts';
import { formsOf, type Page } from '../fakes/oauth/test-browser.ts';

/** One answer seen by the {@link StepUpBrowser}, redirects included. */
export interface Hop extends Page {
  method: string;
  location: string | null;
  setCookies: string[];
}

/**
 * A browser for the step-up pages over real HTTP: keeps cookies (by name and path, dropping
 * cleared ones), never follows a redirect by itself (each hop is recorded, and a test can stop
 * before the callback), and submits forms as a browser would. No script runs.
 */
export class StepUpBrowser {
  private readonly cookies = new Map<string, { value: string; path: string }>();
  readonly hops: Hop[] = [];

  /** `dataDir`: the service's data directory, where the development AS keeps the people's TOTP secrets. */
  constructor(readonly dataDir: string) {}

  async get(url: string, headers: Record<string, string> = {}): Promise<Hop> {
    return this.request(url, { method: 'GET', headers });
  }

  async post(url: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Hop> {
    return this.request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });
  }

  /** Submits the page's first form whose action ends with `actionSuffix` (any when omitted). */
  async submit(page: Hop, fields: Record<string, string> = {}, actionSuffix?: string): Promise<Hop> {
    const form = formsOf(page).find((candidate) => actionSuffix === undefined || candidate.action.endsWith(actionSuffix));
    if (form === undefined) throw new Error(`no form${actionSuffix ? ` posting to …${actionSuffix}` : ''} on ${page.url} (${page.status}):\n${page.body}`);
    return this.post(new URL(form.action, page.url).href, { ...form.fields, ...fields });
  }

  /** Follows redirects (as GETs) until a page, or until the next location satisfies `stopBefore`. */
  async follow(from: Hop, stopBefore: (location: URL) => boolean = () => false): Promise<Hop> {
    let current = from;
    for (let hops = 0; current.location !== null; hops += 1) {
      if (hops > 10) throw new Error(`too many redirects from ${from.url}`);
      const next = new URL(current.location, current.url);
      if (stopBefore(next)) return current;
      current = await this.get(next.href);
    }
    return current;
  }

  /** The `Cookie` header this browser would send to `url`. */
  cookieHeader(url: string): string {
    const path = new URL(url).pathname;
    return [...this.cookies]
      .filter(([, cookie]) => path === cookie.path || path.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`))
      .map(([name, cookie]) => `${name}=${cookie.value}`)
      .join('; ');
  }

  private async request(url: string, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<Hop> {
    const headers = new Headers(init.headers);
    headers.set('accept', 'text/html');
    const cookie = this.cookieHeader(url);
    if (cookie !== '' && !headers.has('cookie')) headers.set('cookie', cookie);
    const response = await fetch(url, { method: init.method, headers, body: init.body, redirect: 'manual' });
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) this.store(line);
    const hop: Hop = { url, method: init.method, status: response.status, headers: response.headers, body: await response.text(), location: response.headers.get('location'), setCookies };
    this.hops.push(hop);
    return hop;
  }

  private store(line: string): void {
    const [pair, ...attributes] = line.split(';').map((part) => part.trim());
    const name = pair!.slice(0, pair!.indexOf('='));
    const value = pair!.slice(pair!.indexOf('=') + 1);
    const attribute = (key: string) => attributes.find((item) => item.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
    const maxAge = attribute('max-age');
    if (maxAge !== undefined && Number(maxAge) <= 0) {
      this.cookies.delete(name);
      return;
    }
    this.cookies.set(name, { value, path: attribute('path') ?? '/' });
  }
}

/**
 * The development AS's login, as a person does it: pick who you are, then type your one-time code.
 * These suites sign the same people in many times within seconds, each a scenario of its own, so
 * the AS is made to forget the codes already used (see `devTotpCode`).
 */
export async function devLogin(browser: StepUpBrowser, loginPage: Hop, principalId: string): Promise<Hop> {
  return completeDevLogin(browser, loginPage, principalId, browser.dataDir, { forgetUsedCodes: true });
}

export const isCallback = (location: URL) => location.pathname === '/auth/step-up/callback';

export interface StepUpRun {
  preview: Hop;
  /** The answer to "Continue": a 303 to the provider (or a refusal page). */
  begun: Hop;
  /** The provider's redirect to Elevate's callback, not yet followed. */
  toCallback: Hop;
  callbackUrl: string;
}

/**
 * Follows a step-up link up to the provider's redirect back to Elevate: the link's page, its
 * "Continue" button, the development login as `principalId`. The test then delivers the callback
 * (or tampers with it).
 */
export async function signInThroughLink(browser: StepUpBrowser, link: string, principalId: string): Promise<StepUpRun> {
  const preview = await browser.get(link);
  if (preview.status !== 200) throw new Error(`the link's page answered ${preview.status}: ${preview.body}`);
  const begun = await browser.submit(preview);
  if (begun.status !== 303) throw new Error(`"Continue" answered ${begun.status}: ${begun.body}`);
  const loginPage = await browser.follow(begun, isCallback);
  const afterLogin = loginPage.location !== null ? loginPage : await devLogin(browser, loginPage, principalId);
  const toCallback = await browser.follow(afterLogin, isCallback);
  if (toCallback.location === null || !isCallback(new URL(toCallback.location, toCallback.url))) {
    throw new Error(`the sign-in did not come back to Elevate: ${toCallback.status} ${toCallback.url}\n${toCallback.body}`);
  }
  return { preview, begun, toCallback, callbackUrl: new URL(toCallback.location, toCallback.url).href };
}

/** The whole step-up in one browser: link, sign-in, callback. Returns the callback's page. */
export async function stepUp(browser: StepUpBrowser, link: string, principalId: string): Promise<Hop & { run: StepUpRun }> {
  const run = await signInThroughLink(browser, link, principalId);
  return { ...(await browser.get(run.callbackUrl)), run };
}
