/**
 * A browser for tests of server-rendered pages, over real HTTP: keeps cookies (by path, dropping
 * expired ones), follows redirects by hand so each hop is seen, and submits the pages' forms the
 * way a browser would. No script runs — the pages must work without any.
 */
export interface Page {
  url: string;
  status: number;
  headers: Headers;
  body: string;
}

export interface PageForm {
  action: string;
  /** Hidden inputs and pre-filled text inputs, as the browser would send them. */
  fields: Record<string, string>;
  /** `name=value` of each submit button. */
  buttons: Array<{ name: string; value: string; label: string }>;
}

export class TestBrowser {
  private readonly cookies = new Map<string, { value: string; path: string }>();
  /** Every page seen, redirects included: checked for script and headers by the tests. */
  readonly history: Page[] = [];

  async get(url: string): Promise<Page> {
    return this.follow(await this.request(url, { method: 'GET' }));
  }

  /** Submits a form of the page: the first whose action ends with `actionSuffix` (any when omitted). */
  async submit(page: Page, fields: Record<string, string> = {}, actionSuffix?: string): Promise<Page> {
    const form = formsOf(page).find((candidate) => actionSuffix === undefined || candidate.action.endsWith(actionSuffix));
    if (form === undefined) throw new Error(`no form${actionSuffix ? ` posting to …${actionSuffix}` : ''} on ${page.url}:\n${page.body}`);
    return this.post(new URL(form.action, page.url).href, { ...form.fields, ...fields });
  }

  async post(url: string, fields: Record<string, string>): Promise<Page> {
    return this.follow(await this.request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() }));
  }

  private async follow(page: Page): Promise<Page> {
    let current = page;
    for (let hops = 0; current.status >= 300 && current.status < 400; hops += 1) {
      if (hops > 10) throw new Error(`too many redirects from ${page.url}`);
      const location = current.headers.get('location');
      if (location === null) throw new Error(`redirect without a location from ${current.url}`);
      current = await this.request(new URL(location, current.url).href, { method: 'GET' });
    }
    return current;
  }

  private async request(url: string, init: RequestInit): Promise<Page> {
    const headers = new Headers(init.headers);
    headers.set('accept', 'text/html');
    const cookie = this.cookieHeader(new URL(url).pathname);
    if (cookie !== '') headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.store(line);
    const page = { url, status: response.status, headers: response.headers, body: await response.text() };
    this.history.push(page);
    return page;
  }

  /** The `Cookie` header this browser sends to `path`: lets a test replay it where it does not belong. */
  cookieHeader(path: string): string {
    return [...this.cookies]
      .filter(([, cookie]) => path === cookie.path || path.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`))
      .map(([name, cookie]) => `${name}=${cookie.value}`)
      .join('; ');
  }

  private store(line: string): void {
    const [pair, ...attributes] = line.split(';').map((part) => part.trim());
    const [name, ...value] = pair!.split('=');
    const attribute = (key: string) => attributes.find((item) => item.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
    const expires = attribute('expires');
    const maxAge = attribute('max-age');
    if ((expires !== undefined && Date.parse(expires) <= Date.now()) || (maxAge !== undefined && Number(maxAge) <= 0)) {
      this.cookies.delete(name!);
      return;
    }
    this.cookies.set(name!, { value: value.join('='), path: attribute('path') ?? '/' });
  }
}

/** The forms of a page, read with the regular expressions our own pages allow. */
export function formsOf(page: Page): PageForm[] {
  return [...page.body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, attributes, inner]) => ({
    action: decode(/\baction="([^"]*)"/.exec(attributes!)?.[1] ?? page.url),
    fields: Object.fromEntries(
      [...inner!.matchAll(/<input\b([^>]*)>/g)]
        .map(([, input]) => [/\bname="([^"]*)"/.exec(input!)?.[1], /\bvalue="([^"]*)"/.exec(input!)?.[1] ?? ''] as const)
        .filter((entry): entry is readonly [string, string] => entry[0] !== undefined)
        .map(([name, value]) => [decode(name), decode(value)]),
    ),
    buttons: [...inner!.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/g)]
      .map(([, button, label]) => ({ name: /\bname="([^"]*)"/.exec(button!)?.[1], value: /\bvalue="([^"]*)"/.exec(button!)?.[1] ?? '', label: label! }))
      .filter((button): button is { name: string; value: string; label: string } => button.name !== undefined)
      .map((button) => ({ name: decode(button.name), value: decode(button.value), label: button.label })),
  }));
}

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_match, entity: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[entity]!);
}
