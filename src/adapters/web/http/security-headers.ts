import type { ServerResponse } from 'node:http';

export interface PageHeaderOptions {
  /** CSP sources allowed as `style-src`: the layout's stylesheet hash. */
  styleSources: readonly string[];
  /**
   * Where forms of the page may go, besides this origin — including where a form's answer
   * redirects to (browsers apply `form-action` to redirects): the OpenID provider's origin.
   */
  formTargets?: readonly string[];
}

/**
 * Headers of every page of the web front door: a CSP that loads nothing and runs no script (not
 * even inline), styles only by hash, forms only to this origin (and the sign-in's provider), no
 * framing; no MIME sniffing; no Referer (step-up URLs carry a one-time ticket, which must not
 * reach the provider or anyone else); and no caching of pages that are about one person.
 */
export function pageHeaders(options: PageHeaderOptions): Record<string, string> {
  const formAction = ["'self'", ...(options.formTargets ?? [])].join(' ');
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; style-src ${options.styleSources.join(' ')}; img-src 'none'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}

/**
 * Headers of every dashboard page: as {@link pageHeaders}, but styles and the one script come from
 * this origin's `/assets` (never inline), and the live-update script may connect back to it.
 */
export function dashboardHeaders(formTargets: readonly string[]): Record<string, string> {
  const formAction = ["'self'", ...formTargets].join(' ');
  return {
    ...pageHeaders({ styleSources: ["'self'"], formTargets }),
    'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
  };
}

/** A redirect (303: the next request is a GET) with the same headers as a page. */
export function sendRedirect(res: ServerResponse, location: string, headers: Record<string, string | string[]>): void {
  res.writeHead(303, { ...headers, location, 'content-length': '0' });
  res.end();
}
