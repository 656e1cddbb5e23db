import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEV_LOGIN_ACR, DEV_TOTP_SECRETS_FILE_NAME, type BotKeys, type DevPrincipal } from '../../../src/adapters/oauth/index.ts';
import { totpCodeAt, totpStepAt } from '../../../src/adapters/oauth/dev-server/totp/dev-totp.ts';
import { clientAuthenticator } from '../../../src/adapters/oauth/client/client-authentication.ts';
import { systemClock } from '../../../src/domain/clock.ts';
import { createLogger } from '../../../src/logging/logger.ts';
import { aPrincipal } from '../../support/builders.ts';
import { devTotpCode } from '../../support/dev-totp.ts';
import { LogCapture } from '../../support/log-capture.ts';
import { serveDevAuthorizationServer, type ServedDevAuthorizationServer } from '../../fakes/oauth/dev-authorization-server-on-loopback.ts';
import { completeDevLogin, isCodePage, isLoginPage, signInOnDevicePage } from '../../fakes/oauth/device-sign-in.ts';
import { TestBrowser, type Page } from '../../fakes/oauth/test-browser.ts';
import { generateBotKeys } from '../../fakes/oauth/test-bot-keys.ts';

const CLI = 'elevate-cli';
const BOT = 'elevate-bot';
const BOT_SECRET = 'dev-as-secret-7f31';
const CALLBACK = '/auth/step-up/callback';
const DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';

let keys: BotKeys;
let served: ServedDevAuthorizationServer;
let logs: LogCapture;
const principals: DevPrincipal[] = [
  aPrincipal({ id: 'alice', displayName: 'Alice Example' }),
  aPrincipal({ id: 'bob', displayName: 'Bob Example' }),
  aPrincipal({ id: 'ci-deployer', displayName: 'CI deployer', kind: 'service' }),
];

beforeAll(async () => {
  keys = (await generateBotKeys()).keys;
});
afterEach(async () => {
  vi.useRealTimers();
  await served?.close();
});

async function serve(options: { apiTokenFormat?: 'jwt' | 'opaque'; privateKeyJwt?: boolean } = {}): Promise<void> {
  logs = new LogCapture();
  served = await serveDevAuthorizationServer({
    keys,
    clientId: BOT,
    auth: options.privateKeyJwt ? { method: 'private_key_jwt' } : { method: 'client_secret_basic', secret: BOT_SECRET },
    logger: createLogger({ level: 'debug', destination: logs }),
    apiClients: { listPrincipals: async () => principals, ...(options.apiTokenFormat ? { apiTokenFormat: options.apiTokenFormat } : {}) },
    botRedirectPaths: [CALLBACK],
  });
}

async function form(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${served.issuer}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
    body: new URLSearchParams(fields),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
}

const botAuth = { authorization: `Basic ${Buffer.from(`${BOT}:${BOT_SECRET}`).toString('base64')}` };

async function startDeviceFlow(extra: Record<string, string> = {}) {
  const { status, body } = await form('/device/auth', { client_id: CLI, scope: 'openid offline_access elevate', resource: served.apiAudience!, ...extra });
  expect(status).toBe(200);
  return body as { device_code: string; user_code: string; verification_uri: string };
}

const poll = (deviceCode: string) => form('/token', { grant_type: DEVICE_CODE, device_code: deviceCode, client_id: CLI });

/** A device flow up to the code step: the pick made, the code page shown. */
async function atCodeStep(principalId: string, browser = new TestBrowser()) {
  const device = await startDeviceFlow();
  const input = await browser.get(device.verification_uri);
  const confirm = await browser.submit(input, { user_code: device.user_code });
  const login = await browser.submit(confirm, { confirm: 'yes' });
  expect(isLoginPage(login)).toBe(true);
  const codePage = await browser.submit(login, { principal: principalId }, '/login');
  expect(isCodePage(codePage)).toBe(true);
  return { device, browser, codePage };
}

async function verified(token: string, audience: string): Promise<JWTPayload> {
  const discovery = (await (await fetch(`${served.issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
  return (await jwtVerify(token, createRemoteJWKSet(new URL(discovery.jwks_uri)), { issuer: served.issuer, audience, algorithms: ['RS256'] })).payload;
}

function secretsFile(): Record<string, { secret: string; last_step?: number }> {
  return JSON.parse(readFileSync(join(served.dataDir!, DEV_TOTP_SECRETS_FILE_NAME), 'utf8'));
}

/** The authorization-code flow of Elevate's own client, as its step-up page starts it. */
function authorizationRequest(extra: Record<string, string> = {}) {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const nonce = randomBytes(16).toString('base64url');
  const params = new URLSearchParams({
    client_id: BOT,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: `${served.origin}${CALLBACK}`,
    state,
    nonce,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...extra,
  });
  return { url: `${served.issuer}/auth?${params}`, verifier, state, nonce };
}

/** Where the AS sent the browser back to Elevate, from the browser's history. */
function callbackOf(browser: TestBrowser): URL {
  const page = [...browser.history].reverse().find((seen) => seen.url.startsWith(`${served.origin}${CALLBACK}`));
  if (page === undefined) throw new Error('the browser never came back to the callback');
  return new URL(page.url);
}

async function redeem(code: string, verifier: string, auth: { form: Record<string, string>; headers: Record<string, string> } = { form: {}, headers: botAuth }) {
  return form('/token', { grant_type: 'authorization_code', code, redirect_uri: `${served.origin}${CALLBACK}`, code_verifier: verifier, ...auth.form }, auth.headers);
}

/** Signs in through the authorization endpoint; returns the ID token's claims. */
async function signInByCode(browser: TestBrowser, principalId: string, extra: Record<string, string> = {}): Promise<{ claims: JWTPayload; pages: Page[] }> {
  const request = authorizationRequest(extra);
  const seen = browser.history.length;
  let page = await browser.get(request.url);
  if (isLoginPage(page)) page = await completeDevLogin(browser, page, principalId, served.dataDir!);
  const callback = callbackOf(browser);
  expect(callback.searchParams.get('state')).toBe(request.state);
  const tokens = await redeem(callback.searchParams.get('code')!, request.verifier);
  expect(tokens.status).toBe(200);
  const claims = await verified(tokens.body['id_token'] as string, BOT);
  expect(claims['nonce']).toBe(request.nonce);
  return { claims, pages: browser.history.slice(seen) };
}

describe('the development login with a TOTP code', () => {
  it('generates a secret per person into dev-totp-secrets.json (0600) and names it in the log, never its content', async () => {
    await serve();
    const file = join(served.dataDir!, DEV_TOTP_SECRETS_FILE_NAME);
    expect(Object.keys(secretsFile()).sort()).toEqual(['alice', 'bob']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(logs.text()).toContain(file);
    for (const { secret } of Object.values(secretsFile())) expect(logs.text()).not.toContain(secret);
  });

  it('refuses a wrong code with a clear message and issues nothing, then takes the right one', async () => {
    await serve();
    const { device, browser, codePage } = await atCodeStep('alice');
    const right = devTotpCode(served.dataDir!, 'alice');
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    const refused = await browser.submit(codePage, { code: wrong }, '/code');
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('That is not the current code of alice');
    expect(await poll(device.device_code)).toMatchObject({ status: 400, body: { error: 'authorization_pending' } });

    const done = await browser.submit(refused, { code: right }, '/code');
    expect(done.body).toContain('is signed in');
    expect((await poll(device.device_code)).status).toBe(200);
  });

  it('refuses a code already used to sign in (RFC 6238 §5.2), even in another browser', async () => {
    await serve();
    const first = await atCodeStep('alice');
    const code = devTotpCode(served.dataDir!, 'alice');
    expect((await first.browser.submit(first.codePage, { code }, '/code')).body).toContain('is signed in');

    const second = await atCodeStep('alice');
    const replayed = await second.browser.submit(second.codePage, { code }, '/code');
    expect(replayed.status).toBe(400);
    expect(replayed.body).toContain('This code was already used');
    expect(await poll(second.device.device_code)).toMatchObject({ status: 400, body: { error: 'authorization_pending' } });
  });

  it('refuses an older code once a newer one was used', async () => {
    await serve();
    const first = await atCodeStep('bob');
    const { secret } = secretsFile()['bob']!;
    const now = totpStepAt(Date.now());
    expect((await first.browser.submit(first.codePage, { code: totpCodeAt(secret, now + 1) }, '/code')).body).toContain('is signed in');
    const second = await atCodeStep('bob');
    expect((await second.browser.submit(second.codePage, { code: totpCodeAt(secret, now) }, '/code')).body).toContain('This code was already used');
  });

  it('refuses codes outside the window of one step either side', async () => {
    await serve();
    const { browser, codePage, device } = await atCodeStep('alice');
    const { secret } = secretsFile()['alice']!;
    const now = totpStepAt(Date.now());
    for (const step of [now - 3, now + 3]) expect((await browser.submit(codePage, { code: totpCodeAt(secret, step) }, '/code')).status).toBe(400);
    expect((await browser.submit(codePage, { code: totpCodeAt(secret, now - 1) }, '/code')).body).toContain('is signed in');
    expect((await poll(device.device_code)).status).toBe(200);
  });

  it("refuses another person's code: bob's code does not sign alice in", async () => {
    await serve();
    await atCodeStep('bob'); // bob has a secret
    const { browser, codePage, device } = await atCodeStep('alice');
    const bobs = devTotpCode(served.dataDir!, 'bob');
    expect(bobs).not.toBe(devTotpCode(served.dataDir!, 'alice'));
    const refused = await browser.submit(codePage, { code: bobs }, '/code');
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('That is not the current code of alice');
    // Nor by swapping the pick on the code form: the code is checked against the name it comes with.
    const swapped = await browser.submit(codePage, { principal: 'ci-deployer', code: '000000' }, '/code');
    expect(swapped.status).toBe(400);
    expect(await poll(device.device_code)).toMatchObject({ status: 400, body: { error: 'authorization_pending' } });
  });

  it('ends the sign-in with access_denied after five wrong codes, and refuses the person even a right code for a while', async () => {
    await serve();
    const { browser, codePage, device } = await atCodeStep('alice');
    let page = codePage;
    for (let attempt = 0; attempt < 4; attempt++) page = await browser.submit(page, { code: 'abcdef' }, '/code');
    expect(page.body).toContain('1 try left');
    const ended = await browser.submit(page, { code: '999999x' }, '/code');
    expect(ended.body).toContain('The sign-in was refused: too many wrong one-time codes for alice');
    expect(await poll(device.device_code)).toMatchObject({ status: 400, body: { error: 'access_denied' } });

    // A new sign-in brings no fresh tries: the count is per person.
    const again = await atCodeStep('alice');
    const refused = await again.browser.submit(again.codePage, { code: devTotpCode(served.dataDir!, 'alice') }, '/code');
    expect(refused.body).toContain('too many wrong one-time codes for alice');
    expect(await poll(again.device.device_code)).toMatchObject({ status: 400, body: { error: 'access_denied' } });
    expect(logs.messages()).toContain('development AS ended a sign-in: too many wrong one-time codes for this person');

    // Others are not held up.
    const bob = await atCodeStep('bob');
    expect((await bob.browser.submit(bob.codePage, { code: devTotpCode(served.dataDir!, 'bob') }, '/code')).body).toContain('is signed in');
  });

  it('lets one person sign in twice within a time step with the test helper, and puts no code or secret in any log line', async () => {
    await serve();
    const codes: string[] = [];
    for (let round = 0; round < 2; round++) {
      const { browser, codePage, device } = await atCodeStep('alice');
      const code = devTotpCode(served.dataDir!, 'alice');
      codes.push(code);
      expect((await browser.submit(codePage, { code }, '/code')).body).toContain('is signed in');
      expect((await poll(device.device_code)).status).toBe(200);
    }
    expect(codes[0]).not.toBe(codes[1]);
    const text = logs.text();
    expect(text).toContain('signed a person in with a one-time code');
    for (const code of codes) expect(text).not.toContain(code);
    for (const { secret } of Object.values(secretsFile())) expect(text).not.toContain(secret);
  });
});

describe('truthful acr, amr and auth_time', () => {
  it('advertises the one acr it issues', async () => {
    await serve();
    const discovery = (await (await fetch(`${served.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery['acr_values_supported']).toEqual([DEV_LOGIN_ACR]);
    expect(discovery['claims_supported']).toEqual(expect.arrayContaining(['acr', 'amr', 'auth_time']));
  });

  it('puts them in the device flow ID token and the RFC 9068 API token', async () => {
    await serve();
    const browser = new TestBrowser();
    const device = await startDeviceFlow();
    const before = Math.floor(Date.now() / 1000);
    await signInOnDevicePage(browser, { verificationUri: device.verification_uri, userCode: device.user_code, principalId: 'bob', dataDir: served.dataDir! });
    const tokens = await poll(device.device_code);
    const id = await verified(tokens.body['id_token'] as string, CLI);
    const api = await verified(tokens.body['access_token'] as string, served.apiAudience!);
    for (const claims of [id, api]) {
      expect(claims).toMatchObject({ sub: 'bob', acr: DEV_LOGIN_ACR, amr: ['otp'] });
      expect(claims['auth_time']).toBeGreaterThanOrEqual(before - 1);
      expect(claims['auth_time']).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    }
  });

  it('puts them in the introspection answer of an opaque API token', async () => {
    await serve({ apiTokenFormat: 'opaque' });
    const device = await startDeviceFlow();
    await signInOnDevicePage(new TestBrowser(), { verificationUri: device.verification_uri, userCode: device.user_code, principalId: 'alice', dataDir: served.dataDir! });
    const tokens = await poll(device.device_code);
    const introspection = await form('/token/introspection', { token: tokens.body['access_token'] as string }, botAuth);
    expect(introspection.body).toMatchObject({ active: true, sub: 'alice', acr: DEV_LOGIN_ACR, amr: ['otp'], auth_time: expect.any(Number) });
  });
});

describe("Elevate's own client signing a person in (authorization code with PKCE)", () => {
  it('signs in with the TOTP step and returns an ID token with nonce, acr, amr and auth_time', async () => {
    await serve();
    const before = Math.floor(Date.now() / 1000);
    const { claims, pages } = await signInByCode(new TestBrowser(), 'alice');
    expect(pages.some(isCodePage)).toBe(true);
    expect(claims).toMatchObject({ iss: served.issuer, aud: BOT, sub: 'alice', acr: DEV_LOGIN_ACR, amr: ['otp'] });
    expect(claims['auth_time']).toBeGreaterThanOrEqual(before - 1);
  });

  it('refuses a request without PKCE, with a plain challenge, or to a redirect URI it does not know', async () => {
    await serve();
    const browser = new TestBrowser();
    const withoutPkce = authorizationRequest();
    const url = new URL(withoutPkce.url);
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
    await browser.get(url.href);
    expect(callbackOf(browser).searchParams.get('error')).toBe('invalid_request');

    const plain = await new TestBrowser().get(authorizationRequest({ code_challenge_method: 'plain' }).url);
    expect(plain.status === 400 || new URL(plain.url).searchParams.get('error') === 'invalid_request').toBe(true);

    const elsewhere = await new TestBrowser().get(authorizationRequest({ redirect_uri: 'https://attacker.example/cb' }).url);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.url.startsWith(served.issuer)).toBe(true);
    expect(elsewhere.body).toContain('redirect_uri');
  });

  it('redeems the code with private_key_jwt when that is how Elevate authenticates', async () => {
    await serve({ privateKeyJwt: true });
    const browser = new TestBrowser();
    const request = authorizationRequest();
    await completeDevLogin(browser, await browser.get(request.url), 'bob', served.dataDir!);
    const credentials = await clientAuthenticator({ clientAuth: { method: 'private_key_jwt' } } as Parameters<typeof clientAuthenticator>[0], keys, systemClock)(BOT, served.issuer);
    const tokens = await redeem(callbackOf(browser).searchParams.get('code')!, request.verifier, { form: credentials.form, headers: {} });
    expect(tokens.status).toBe(200);
    expect(await verified(tokens.body['id_token'] as string, BOT)).toMatchObject({ sub: 'bob', acr: DEV_LOGIN_ACR, amr: ['otp'] });
  });

  it('refuses to redeem a code without the right verifier or with the wrong client authentication', async () => {
    await serve();
    const browser = new TestBrowser();
    const request = authorizationRequest();
    await completeDevLogin(browser, await browser.get(request.url), 'alice', served.dataDir!);
    const code = callbackOf(browser).searchParams.get('code')!;
    expect(await redeem(code, randomBytes(32).toString('base64url'))).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const stranger = await form('/token', { grant_type: 'authorization_code', code, redirect_uri: `${served.origin}${CALLBACK}`, code_verifier: request.verifier, client_id: CLI });
    expect(stranger.status).toBe(400);
  });

  it('signs a browser with a session in silently, but prompt=login asks for the code again', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    await serve();
    const browser = new TestBrowser();
    const first = await signInByCode(browser, 'alice');

    vi.setSystemTime(Date.now() + 5_000);
    const silent = await signInByCode(browser, 'alice');
    expect(silent.pages.some(isLoginPage)).toBe(false);
    expect(silent.claims['auth_time']).toBe(first.claims['auth_time']);

    vi.setSystemTime(Date.now() + 5_000);
    const forced = await signInByCode(browser, 'alice', { prompt: 'login' });
    expect(forced.pages.some(isLoginPage)).toBe(true);
    expect(forced.pages.some(isCodePage)).toBe(true);
    expect(forced.claims['auth_time']).toBeGreaterThan(first.claims['auth_time'] as number);
    expect(forced.claims).toMatchObject({ acr: DEV_LOGIN_ACR, amr: ['otp'] });
  });

  it('asks again when the session is older than max_age, not before', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    await serve();
    const browser = new TestBrowser();
    const first = await signInByCode(browser, 'bob');

    vi.setSystemTime(Date.now() + 30_000);
    const young = await signInByCode(browser, 'bob', { max_age: '60' });
    expect(young.pages.some(isLoginPage)).toBe(false);
    expect(young.claims['auth_time']).toBe(first.claims['auth_time']);

    vi.setSystemTime(Date.now() + 60_000);
    const old = await signInByCode(browser, 'bob', { max_age: '60' });
    expect(old.pages.some(isCodePage)).toBe(true);
    expect(old.claims['auth_time']).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 1);
  });
});

describe('step-up through the device flow (acr_values and max_age on the device authorization request)', () => {
  it('asks a browser with an old session for the code again and issues tokens with the new auth_time, acr and amr', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    await serve();
    const browser = new TestBrowser();
    const first = await startDeviceFlow();
    await signInOnDevicePage(browser, { verificationUri: first.verification_uri, userCode: first.user_code, principalId: 'alice', dataDir: served.dataDir! });
    const before = await verified((await poll(first.device_code)).body['access_token'] as string, served.apiAudience!);

    vi.setSystemTime(Date.now() + 10 * 60_000);
    const stepUp = await startDeviceFlow({ acr_values: DEV_LOGIN_ACR, max_age: '300' });
    const seen = browser.history.length;
    const done = await signInOnDevicePage(browser, { verificationUri: stepUp.verification_uri, userCode: stepUp.user_code, principalId: 'alice', dataDir: served.dataDir! });
    expect(done.body).toContain('is signed in');
    expect(browser.history.slice(seen).some(isCodePage)).toBe(true);
    const tokens = await poll(stepUp.device_code);
    const api = await verified(tokens.body['access_token'] as string, served.apiAudience!);
    const id = await verified(tokens.body['id_token'] as string, CLI);
    for (const claims of [api, id]) {
      expect(claims).toMatchObject({ sub: 'alice', acr: DEV_LOGIN_ACR, amr: ['otp'] });
      expect(claims['auth_time']).toBeGreaterThanOrEqual((before['auth_time'] as number) + 600);
    }
  });

  it('treats max_age=0 as a demand for a fresh login, even right after one', async () => {
    await serve();
    const browser = new TestBrowser();
    const first = await startDeviceFlow();
    await signInOnDevicePage(browser, { verificationUri: first.verification_uri, userCode: first.user_code, principalId: 'bob', dataDir: served.dataDir! });
    const fresh = await startDeviceFlow({ max_age: '0' });
    const seen = browser.history.length;
    await signInOnDevicePage(browser, { verificationUri: fresh.verification_uri, userCode: fresh.user_code, principalId: 'bob', dataDir: served.dataDir! });
    expect(browser.history.slice(seen).some(isCodePage)).toBe(true);
    expect((await poll(fresh.device_code)).status).toBe(200);
  });
});
