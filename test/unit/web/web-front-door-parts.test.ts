import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clearCookie, readCookie, setCookie } from '../../../src/adapters/web/http/cookies.ts';
import { needsSecureCookies } from '../../../src/adapters/web/http/public-origin.ts';
import { pageHeaders } from '../../../src/adapters/web/http/security-headers.ts';
import { STYLE_SOURCES } from '../../../src/adapters/web/layout/page.ts';
import { refusalPage } from '../../../src/adapters/web/step-up/step-up-pages.ts';
import { LateBoundPersonAuthenticator } from '../../../src/adapters/oauth/late-bound-token-issuer.ts';
import { redactPath } from '../../../src/http/redact-path.ts';
import { isElevateError } from '../../../src/domain/errors.ts';

const request = (cookie?: string) => ({ headers: cookie === undefined ? {} : { cookie } }) as IncomingMessage;

describe('the web front door’s parts', () => {
  it('keeps a step-up ticket out of a logged path, and every other path as it is', () => {
    expect(redactPath('/auth/step-up/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde')).toBe('/auth/step-up/[redacted]');
    expect(redactPath('/auth/step-up/x/y')).toBe('/auth/step-up/[redacted]/y');
    expect(redactPath('/auth/step-up/callback')).toBe('/auth/step-up/callback');
    expect(redactPath('/api/v1/requests')).toBe('/api/v1/requests');
  });

  it('makes cookies Secure except for plain http on loopback', () => {
    expect(needsSecureCookies('https://elevate.example.com')).toBe(true);
    expect(needsSecureCookies('http://elevate.internal:3000')).toBe(true);
    expect(needsSecureCookies('http://127.0.0.1:3000')).toBe(false);
    expect(needsSecureCookies('http://localhost:3000')).toBe(false);
    expect(needsSecureCookies('http://[::1]:3000')).toBe(false);
  });

  it('writes HttpOnly SameSite=Lax cookies, clears them by Max-Age=0, and refuses a name sent twice', () => {
    expect(setCookie('__Host-x', 'v', { path: '/', maxAgeSec: 600, secure: true })).toBe('__Host-x=v; Path=/; Max-Age=600; HttpOnly; SameSite=Lax; Secure');
    expect(clearCookie('x', { path: '/auth/step-up', secure: false })).toBe('x=; Path=/auth/step-up; Max-Age=0; HttpOnly; SameSite=Lax');
    expect(readCookie(request('a=1; x=abc'), 'x')).toBe('abc');
    expect(readCookie(request('x=abc; x=planted'), 'x')).toBeNull();
    expect(readCookie(request('xx=abc'), 'x')).toBeNull();
    expect(readCookie(request(), 'x')).toBeNull();
  });

  it('serves pages under a CSP without script or inline style beyond the stylesheet’s hash, forms only to itself and the provider', () => {
    const headers = pageHeaders({ styleSources: STYLE_SOURCES, formTargets: ['https://id.example.com'] });
    expect(headers['content-security-policy']).toBe(
      `default-src 'none'; style-src ${STYLE_SOURCES[0]}; img-src 'none'; form-action 'self' https://id.example.com; frame-ancestors 'none'; base-uri 'none'`,
    );
    expect(headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store', 'x-frame-options': 'DENY' });
  });

  it('escapes whatever a page shows', () => {
    const markup = refusalPage('Not verified', '<script>alert(1)</script> & "quotes"');
    expect(markup).not.toContain('<script>');
    expect(markup).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
  });

  it('refuses to build a sign-in URL before the provider is discovered, as a retryable outage', () => {
    const late = new LateBoundPersonAuthenticator(10);
    let caught: unknown;
    try {
      late.authorizationUrl({ redirectUri: 'r', state: 's', nonce: 'n', codeChallenge: 'c', acrValues: [], maxAgeSec: 60 });
    } catch (error) {
      caught = error;
    }
    expect(isElevateError(caught, 'issuer_unavailable') && caught.retryable).toBe(true);
  });
});
