import { describe, expect, it } from 'vitest';
import { csrfTokenFor, csrfTokenMatches, postedFromThisOrigin } from '../../../src/adapters/web/dashboard/csrf.ts';
import { safeReturnTo } from '../../../src/adapters/web/dashboard/return-to.ts';
import { matchPageRoute } from '../../../src/adapters/web/dashboard/route-match.ts';
import type { PageRoute } from '../../../src/adapters/web/dashboard/page-route.ts';
import { CookieSealer } from '../../../src/adapters/web/http/sealed-cookie.ts';
import { dashboardHeaders } from '../../../src/adapters/web/http/security-headers.ts';
import type { IncomingMessage } from 'node:http';

const T0 = new Date('2026-12-03T10:00:00Z');
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe('the dashboard’s parts', () => {
  describe('sealed cookies', () => {
    const sealer = new CookieSealer([Buffer.alloc(32, 1)]);

    it('open only as the kind they were sealed as, before they expire, and unchanged', async () => {
      const sealed = await sealer.seal('elevate-session+jwe', { sid: 'secret-1' }, 60, T0);
      expect(sealed).not.toContain('secret-1');
      expect((await sealer.open('elevate-session+jwe', sealed, later(30)))?.['sid']).toBe('secret-1');
      expect(await sealer.open('elevate-sign-in+jwe', sealed, later(30))).toBeNull();
      expect(await sealer.open('elevate-session+jwe', sealed, later(61))).toBeNull();
      const flipped = sealed.slice(0, -3) + (sealed.endsWith('A') ? 'B' : 'A') + sealed.slice(-2);
      expect(await sealer.open('elevate-session+jwe', flipped, later(30))).toBeNull();
      expect(await sealer.open('elevate-session+jwe', 'not-a-jwe', later(30))).toBeNull();
      expect(await sealer.open('elevate-session+jwe', null, later(30))).toBeNull();
    });

    it('open with a rotated-out key until expiry, and never under another deployment’s key', async () => {
      const old = await new CookieSealer([Buffer.alloc(32, 1)]).seal('k', { sid: 's' }, 60, T0);
      expect((await new CookieSealer([Buffer.alloc(32, 2), Buffer.alloc(32, 1)]).open('k', old, later(1)))?.['sid']).toBe('s');
      expect(await new CookieSealer([Buffer.alloc(32, 2)]).open('k', old, later(1))).toBeNull();
    });
  });

  it('derives a CSRF token per session and compares it in full', () => {
    const key = new Uint8Array(32).fill(3);
    const token = csrfTokenFor(key, 'a'.repeat(64));
    expect(token).toBe(csrfTokenFor(key, 'a'.repeat(64)));
    expect(token).not.toBe(csrfTokenFor(key, 'b'.repeat(64)));
    expect(csrfTokenMatches(token, token)).toBe(true);
    expect(csrfTokenMatches(token, token.slice(0, -1))).toBe(false);
    expect(csrfTokenMatches(token, null)).toBe(false);
  });

  it('takes a POST from this origin only, as the browser reports it', () => {
    const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
    const origin = 'https://elevate.example.com';
    expect(postedFromThisOrigin(req({ 'sec-fetch-site': 'same-origin' }), origin)).toBe(true);
    expect(postedFromThisOrigin(req({ 'sec-fetch-site': 'same-site' }), origin)).toBe(false);
    expect(postedFromThisOrigin(req({ 'sec-fetch-site': 'cross-site', origin }), origin)).toBe(false);
    expect(postedFromThisOrigin(req({ origin: 'https://evil.example' }), origin)).toBe(false);
    expect(postedFromThisOrigin(req({ origin }), origin)).toBe(true);
  });

  it('returns after sign-in only to a page of the dashboard', () => {
    expect(safeReturnTo('/review')).toBe('/review');
    expect(safeReturnTo('/audit?actor=alice&type=grant.issued')).toBe('/audit?actor=alice&type=grant.issued');
    for (const evil of [null, '', 'https://evil.example/access', '//evil.example/access', '/\\evil.example', '\\\\evil.example', 'javascript:alert(1)', '/%2F%2Fevil', '/access/../oauth', '/oauth/auth', '/sign-out', ` /access`, `/access\n`]) {
      expect(safeReturnTo(evil), String(evil)).toBe('/access');
    }
  });

  it('matches whole paths, one safe segment per placeholder, and names the methods a path takes', () => {
    const handle = async () => ({ kind: 'redirect', location: '/access' }) as const;
    const routes: PageRoute[] = [
      { method: 'GET', path: '/access', access: 'signed_in', handle },
      { method: 'POST', path: '/access/grants/{id}/end', access: 'signed_in', handle },
    ];
    expect(matchPageRoute(routes, 'POST', '/access/grants/g-1/end')).toMatchObject({ kind: 'found', params: { id: 'g-1' } });
    expect(matchPageRoute(routes, 'HEAD', '/access')).toMatchObject({ kind: 'found' });
    expect(matchPageRoute(routes, 'GET', '/access/grants/g-1/end')).toEqual({ kind: 'wrong_method', allow: ['POST'] });
    expect(matchPageRoute(routes, 'POST', '/access/grants/g.1/end')).toEqual({ kind: 'none' });
    expect(matchPageRoute(routes, 'POST', '/access/grants/a/b/end')).toEqual({ kind: 'none' });
  });

  it('serves pages under a CSP with no inline script or style, forms to itself and the provider, no framing', () => {
    const headers = dashboardHeaders(['https://id.example.com']);
    const csp = headers['content-security-policy']!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("form-action 'self' https://id.example.com");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    expect(headers).toMatchObject({ 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
  });
});
