import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The CSRF token of a session: an HMAC of the session's stored hash under a key of this server,
 * so it needs no storage, changes with every sign-in, and is worthless without the session.
 */
export function csrfTokenFor(key: Uint8Array, sessionIdHash: string): string {
  return createHmac('sha256', key).update(`elevate csrf v1\u0000${sessionIdHash}`).digest('base64url');
}

export function csrfTokenMatches(expected: string, presented: string | null): boolean {
  if (presented === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether a POST comes from a page of this origin, as far as the browser says: `Sec-Fetch-Site`
 * when sent (every current browser), else `Origin` when sent. The CSRF token is checked besides;
 * this refuses a cross-site form even before that.
 */
export function postedFromThisOrigin(req: IncomingMessage, publicOrigin: string): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  const origin = req.headers.origin;
  if (origin !== undefined) return origin === publicOrigin;
  return true;
}
