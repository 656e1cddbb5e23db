import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEV_LOGIN_ACR, type BotKeys, type DevPrincipal } from '../../../src/adapters/oauth/index.ts';
import { aPrincipal } from '../../support/builders.ts';
import { serveDevAuthorizationServer, type ServedDevAuthorizationServer } from '../../fakes/oauth/dev-authorization-server-on-loopback.ts';
import { completeDevLogin, isLoginPage, signInOnDevicePage } from '../../fakes/oauth/device-sign-in.ts';
import { TestBrowser, formsOf, type Page } from '../../fakes/oauth/test-browser.ts';
import { generateBotKeys } from '../../fakes/oauth/test-bot-keys.ts';

const CLI = 'elevate-cli';
const DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';
const SCRIPT_NAME = '<script>alert("pwned")</script> & co';

let keys: BotKeys;
let served: ServedDevAuthorizationServer;
let principals: DevPrincipal[];

beforeAll(async () => {
  keys = (await generateBotKeys()).keys;
});
afterEach(async () => {
  vi.useRealTimers();
  await served?.close();
});

async function serve(): Promise<ServedDevAuthorizationServer> {
  principals = [
    aPrincipal({ id: 'alice', displayName: 'Alice Example' }),
    aPrincipal({ id: 'bob', displayName: 'Bob Example' }),
    aPrincipal({ id: 'mallory-script', displayName: SCRIPT_NAME }),
    aPrincipal({ id: 'ci-deployer', displayName: 'CI deployer', kind: 'service' }),
  ];
  served = await serveDevAuthorizationServer({
    keys,
    clientId: 'elevate-bot',
    auth: { method: 'client_secret_basic', secret: 'dev-as-secret-0e5a' },
    // Read at every request: tests change the list while the AS runs.
    apiClients: { listPrincipals: async () => principals },
  });
  return served;
}

interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
}

async function form(path: string, fields: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${served.issuer}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(fields),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
}

async function startDeviceFlow(extra: Record<string, string> = {}): Promise<DeviceAuthorization> {
  const { status, body } = await form('/device/auth', { client_id: CLI, scope: 'openid offline_access elevate', resource: served.apiAudience!, ...extra });
  expect(status).toBe(200);
  return body as unknown as DeviceAuthorization;
}

function poll(deviceCode: string) {
  return form('/token', { grant_type: DEVICE_CODE, device_code: deviceCode, client_id: CLI });
}

async function verifyApiToken(token: string): Promise<JWTPayload> {
  const discovery = (await (await fetch(`${served.issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
  const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
    issuer: served.issuer,
    audience: served.apiAudience!,
    typ: 'at+jwt',
    algorithms: ['RS256'],
  });
  expect(protectedHeader.typ).toBe('at+jwt');
  return payload;
}

async function signedInDeviceFlow(principalId = 'alice', browser = new TestBrowser()) {
  const device = await startDeviceFlow();
  const done = await signInOnDevicePage(browser, { verificationUri: device.verification_uri, userCode: device.user_code, principalId, dataDir: served.dataDir! });
  expect(done.status).toBe(200);
  expect(done.body).toContain('is signed in');
  return { device, browser };
}

function loginPageOf(browser: TestBrowser): Page {
  const page = [...browser.history].reverse().find(isLoginPage);
  if (page === undefined) throw new Error('no login page was shown');
  return page;
}

describe('the device authorization grant of the development AS', () => {
  it('signs a person in end to end and issues an RFC 9068 access token for the API', async () => {
    await serve();
    const device = await startDeviceFlow();
    expect(device.verification_uri).toBe(`${served.issuer}/device`);
    expect(await poll(device.device_code)).toMatchObject({ status: 400, body: { error: 'authorization_pending' } });

    const browser = new TestBrowser();
    await signInOnDevicePage(browser, { verificationUri: device.verification_uri, userCode: device.user_code, principalId: 'alice', dataDir: served.dataDir! });
    const before = Math.floor(Date.now() / 1000);
    const tokens = await poll(device.device_code);

    // RFC 6749 §5.1: the scope of the access token, which is for the API.
    expect(tokens).toMatchObject({ status: 200, body: { token_type: 'Bearer', scope: 'elevate' } });
    expect(typeof tokens.body['id_token']).toBe('string');
    expect(tokens.body['expires_in']).toBeLessThanOrEqual(900);
    expect(typeof tokens.body['refresh_token']).toBe('string');
    const claims = await verifyApiToken(tokens.body['access_token'] as string);
    expect(claims).toMatchObject({ iss: served.issuer, aud: served.apiAudience, sub: 'alice', client_id: CLI, scope: 'elevate', acr: DEV_LOGIN_ACR, amr: ['otp'] });
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(900);
    expect(claims.exp!).toBeGreaterThan(before);
    expect(typeof claims.jti).toBe('string');
    expect(claims['auth_time']).toBeLessThanOrEqual(claims.iat!);
    expect(claims['auth_time']).toBeGreaterThan(before - 60);
  });

  it('refreshes into a new API token for the same person, rotating the refresh token', async () => {
    await serve();
    const { device } = await signedInDeviceFlow('bob');
    const first = await poll(device.device_code);
    const firstClaims = await verifyApiToken(first.body['access_token'] as string);

    const refreshed = await form('/token', { grant_type: 'refresh_token', refresh_token: first.body['refresh_token'] as string, client_id: CLI });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body['refresh_token']).not.toBe(first.body['refresh_token']);
    const claims = await verifyApiToken(refreshed.body['access_token'] as string);
    expect(claims).toMatchObject({ sub: 'bob', client_id: CLI, aud: served.apiAudience, scope: 'elevate', auth_time: firstClaims['auth_time'] });
    expect(claims.jti).not.toBe(firstClaims.jti);

    // The rotated-out refresh token is spent.
    const replay = await form('/token', { grant_type: 'refresh_token', refresh_token: first.body['refresh_token'] as string, client_id: CLI });
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('redeems a device code only once, and a replay revokes what it issued', async () => {
    await serve();
    const { device } = await signedInDeviceFlow();
    const first = await poll(device.device_code);
    expect(first.status).toBe(200);

    expect(await poll(device.device_code)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const refresh = await form('/token', { grant_type: 'refresh_token', refresh_token: first.body['refresh_token'] as string, client_id: CLI });
    expect(refresh).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('offers only the people of the configuration on the login page, read at each request', async () => {
    await serve();
    const device = await startDeviceFlow();
    const browser = new TestBrowser();
    principals.push(aPrincipal({ id: 'carol', displayName: 'Carol Newcomer' }));
    await signInOnDevicePage(browser, { verificationUri: device.verification_uri, userCode: device.user_code, principalId: 'nobody', dataDir: served.dataDir! }).catch(() => undefined);
    const login = loginPageOf(browser);

    const offered = formsOf(login).flatMap((pageForm) => pageForm.buttons.filter((button) => button.name === 'principal').map((button) => button.value));
    expect(offered.sort()).toEqual(['alice', 'bob', 'carol', 'mallory-script']);
    expect(login.body).not.toContain('ci-deployer');
  });

  it('refuses an unknown principal and a service principal posted to the login form', async () => {
    await serve();
    const device = await startDeviceFlow();
    const browser = new TestBrowser();
    const unknown = await signInOnDevicePage(browser, { verificationUri: device.verification_uri, userCode: device.user_code, principalId: 'eve', dataDir: served.dataDir! });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain('eve is not a person of the configuration');

    const service = await browser.submit(unknown, { principal: 'ci-deployer' }, '/login');
    expect(service.status).toBe(400);
    expect(service.body).toContain('ci-deployer is not a person of the configuration');
    expect(await poll(device.device_code)).toMatchObject({ status: 400, body: { error: 'authorization_pending' } });

    // The same interaction still lets the real person in.
    const alice = await completeDevLogin(browser, service, 'alice', served.dataDir!);
    expect(alice.body).toContain('is signed in');
    expect((await poll(device.device_code)).status).toBe(200);
  });

  it('escapes a display name with markup and serves every page under a CSP that allows no script', async () => {
    await serve();
    const { browser } = await signedInDeviceFlow('alice');
    const login = loginPageOf(browser);

    expect(login.body).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; co');
    expect(login.body).not.toContain('<script>alert');
    // oidc-provider's own error page too, for a request with markup in it.
    const error = await browser.get(`${served.issuer}/auth?client_id=${encodeURIComponent('<script>x</script>')}&response_type=none&scope=openid`);
    expect(error.status).toBe(400);
    expect(error.body).toContain('Sign-in failed');
    for (const page of browser.history.filter((seen) => seen.status < 300 || seen.status >= 400)) {
      expect(page.body, page.url).not.toMatch(/<script|\son[a-z]+=|javascript:|@import/i);
      expect(page.body, page.url).toContain('DEVELOPMENT ONLY');
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp, page.url).toMatch(/default-src 'none'/);
      expect(csp, page.url).toMatch(/frame-ancestors 'none'/);
      expect(csp, page.url).not.toMatch(/unsafe-inline|script-src/);
      expect(page.headers.get('x-frame-options'), page.url).toBe('DENY');
    }
  });

  it('prefills the code from verification_uri_complete without any script', async () => {
    await serve();
    const device = await startDeviceFlow();
    const browser = new TestBrowser();
    const page = await browser.get(device.verification_uri_complete);
    expect(page.status).toBe(200);
    expect(page.body).not.toMatch(/<script/i);
    const [input] = formsOf(page);
    expect(input?.fields['user_code']).toBe(device.user_code);
    const confirm = await browser.submit(page);
    expect(confirm.body).toContain(device.user_code);
  });

  it('refuses a login form without the interaction cookie, or with the cookie of another interaction', async () => {
    await serve();
    const mine = new TestBrowser();
    await signInOnDevicePage(mine, { ...(await deviceUris()), principalId: 'eve', dataDir: served.dataDir! });
    const loginAction = new URL(formsOf(loginPageOf(mine)).find((pageForm) => pageForm.action.endsWith('/login'))!.action, served.issuer);

    const stranger = await new TestBrowser().post(loginAction.href, { principal: 'alice' });
    expect(stranger.status).toBe(400);
    expect(stranger.body).toContain('This sign-in has expired');

    // An attacker with a sign-in of their own replays its cookie against my interaction's URL.
    const attacker = new TestBrowser();
    await signInOnDevicePage(attacker, { ...(await deviceUris()), principalId: 'eve', dataDir: served.dataDir! });
    const attackerLogin = new URL(formsOf(loginPageOf(attacker)).find((pageForm) => pageForm.action.endsWith('/login'))!.action, served.issuer);
    const crossed = await fetch(loginAction, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: attacker.cookieHeader(attackerLogin.pathname) },
      body: 'principal=alice',
      redirect: 'manual',
    });
    expect(crossed.status).toBe(400);
    expect(await crossed.text()).toContain('this page belongs to another sign-in');
  });

  it('scopes the interaction cookie to its own path, HttpOnly and SameSite=Lax', async () => {
    await serve();
    const { browser } = await signedInDeviceFlow('alice');
    const cookies = browser.history.flatMap((page) => page.headers.getSetCookie()).filter((line) => line.startsWith('_interaction='));
    expect(cookies.length).toBeGreaterThan(0);
    for (const line of cookies) {
      expect(line.toLowerCase()).toContain('httponly');
      expect(line.toLowerCase()).toContain('samesite=lax');
      expect(line).toMatch(/path=\/oauth\/interaction\/[A-Za-z0-9_-]+/i);
    }
  });

  it('refuses a login form that is not form-encoded', async () => {
    await serve();
    const browser = new TestBrowser();
    await signInOnDevicePage(browser, { ...(await deviceUris()), principalId: 'eve', dataDir: served.dataDir! });
    const loginAction = formsOf(loginPageOf(browser)).find((pageForm) => pageForm.action.endsWith('/login'))!.action;
    const response = await fetch(new URL(loginAction, served.issuer), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"principal":"alice"}' });
    expect(response.status).toBe(415);
  });

  it('ends the flow with access_denied when the person cancels', async () => {
    await serve();
    const device = await startDeviceFlow();
    const browser = new TestBrowser();
    await signInOnDevicePage(browser, { verificationUri: device.verification_uri, userCode: device.user_code, principalId: 'eve', dataDir: served.dataDir! });
    await browser.submit(loginPageOf(browser), {}, '/abort');
    expect(await poll(device.device_code)).toMatchObject({ status: 400, body: { error: 'access_denied' } });
  });

  it('issues no token for a person removed from the configuration after signing in', async () => {
    await serve();
    const { device } = await signedInDeviceFlow('bob');
    principals = principals.filter((principal) => principal.id !== 'bob');
    expect(await poll(device.device_code)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('signs the same browser in again without asking, unless the session is older than max_age', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    await serve();
    const { browser } = await signedInDeviceFlow('alice');

    const again = await startDeviceFlow();
    const silent = await signInOnDevicePage(browser, { verificationUri: again.verification_uri, userCode: again.user_code, principalId: 'bob', dataDir: served.dataDir! });
    expect(silent.body).toContain('is signed in');
    expect((await verifyApiToken((await poll(again.device_code)).body['access_token'] as string)).sub).toBe('alice');

    vi.setSystemTime(Date.now() + 120_000);
    const strict = await startDeviceFlow({ max_age: '60' });
    const shown = browser.history.length;
    const relogged = await signInOnDevicePage(browser, { verificationUri: strict.verification_uri, userCode: strict.user_code, principalId: 'alice', dataDir: served.dataDir! });
    expect(browser.history.slice(shown).some(isLoginPage)).toBe(true);
    expect(relogged.body).toContain('is signed in');
    const claims = await verifyApiToken((await poll(strict.device_code)).body['access_token'] as string);
    expect(claims['auth_time']).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 5);
  });

  it('refuses a device authorization for any resource but the API', async () => {
    await serve();
    const refused = await form('/device/auth', { client_id: CLI, scope: 'openid', resource: 'https://db.internal.example' });
    expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_target' } });
  });

  it('defaults the resource to the API when the CLI names none', async () => {
    await serve();
    const { status, body } = await form('/device/auth', { client_id: CLI, scope: 'openid offline_access elevate' });
    expect(status).toBe(200);
    await signInOnDevicePage(new TestBrowser(), { verificationUri: (body as unknown as DeviceAuthorization).verification_uri, userCode: (body as unknown as DeviceAuthorization).user_code, principalId: 'alice', dataDir: served.dataDir! });
    const tokens = await poll((body as unknown as DeviceAuthorization).device_code);
    expect(decodeProtectedHeader(tokens.body['access_token'] as string).typ).toBe('at+jwt');
    expect((await verifyApiToken(tokens.body['access_token'] as string)).aud).toBe(served.apiAudience);
  });
});

async function deviceUris(): Promise<{ verificationUri: string; userCode: string }> {
  const device = await startDeviceFlow();
  return { verificationUri: device.verification_uri, userCode: device.user_code };
}
