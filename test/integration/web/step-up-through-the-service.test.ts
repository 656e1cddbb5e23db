import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/domain/clock.ts';
import { startService, type RunningService } from '../../../src/main.ts';
import { personToken } from '../../support/dev-as-tokens.ts';
import { LogCapture } from '../../support/log-capture.ts';
import { loopbackServiceEnv } from '../../support/loopback-service-env.ts';
import { hashSecret } from '../../../src/app/step-up/secrets.ts';
import { devLogin, isCallback, signInThroughLink, stepUp, StepUpBrowser } from '../../support/step-up-browser.ts';

/**
 * `prod-admin` and `prod-quick` (fresh for one second only) can be satisfied by the development
 * login (`acr` urn:elevate:dev:otp, `amr` otp: it asks for a TOTP code); `vault-root` asks for what it never gives (phishing-resistant
 * hardware), so every sign-in for it is refused.
 */
const CONFIG = `
admins: [erin]
principals:
  - { id: alice, name: Alice }
  - { id: bob, name: Bob }
  - { id: carol, name: Carol }
  - { id: erin, name: Erin }
scopes:
  - name: prod-admin
    description: Administer production
    oauth_scope: prod:admin
    audience: https://prod.example.com
    max_duration: 2h
    approvers: [bob, carol]
    requesters: [alice]
    mfa: { requester: true, approver: true, max_age: 5m, acr_values: ["urn:elevate:dev:otp"], amr: [otp, mfa] }
  - name: prod-quick
    description: Production, for one second after a sign-in
    oauth_scope: prod:quick
    audience: https://prod.example.com
    max_duration: 1h
    approvers: [bob]
    requesters: [alice]
    mfa: { requester: true, approver: true, max_age: 1s, acr_values: ["urn:elevate:dev:otp"] }
  - name: vault-root
    description: Root of the vault
    oauth_scope: vault:root
    audience: https://vault.example.com
    max_duration: 1h
    approvers: [bob]
    requesters: [alice]
    mfa: { requester: true, approver: true, max_age: 5m, acr_values: [phr], amr: [hwk] }
channels:
  - { platform: slack, channel: C0REVIEW, scopes: [prod-admin, prod-quick, vault-root] }
`;

/** The real clock, moved forward on demand: the OpenID provider keeps real time, Elevate sees later. */
class ShiftedClock implements Clock {
  shiftSec = 0;
  now(): Date {
    return new Date(Date.now() + this.shiftSec * 1000);
  }
}

type AuditEvent = { type: string; requestId?: string; actor: string; data: Record<string, unknown> };

/**
 * Step-up through the running service as `npm start` composes it: the embedded development AS
 * as the OpenID provider, PGlite, the API for requests and links, and the browser pages at
 * `/auth/step-up` driven by a cookie-keeping client through the development login.
 */
describe('step-up (MFA) through the running service', () => {
  let service: RunningService;
  let dir: string;
  const logs = new LogCapture();
  const clock = new ShiftedClock();
  const tokens: Record<string, string> = {};
  /** Everything that must never show up in a log line, and where else each may not appear. */
  const tickets: string[] = [];
  const signInSecrets: string[] = [];
  const issuedTokens: string[] = [];
  const browsers: StepUpBrowser[] = [];

  async function api(principal: string, method: string, path: string, body?: unknown) {
    const response = await fetch(`${service.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[principal]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (/json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text) as any };
  }

  async function newRequest(scope = 'prod-admin'): Promise<string> {
    const created = await api('alice', 'POST', '/requests', { scope, duration: '30m', reason: 'incident 42' });
    expect(created.status).toBe(201);
    return created.body.request.id as string;
  }

  async function linkFor(principal: string, requestId: string): Promise<string> {
    const answer = await api(principal, 'POST', `/requests/${requestId}/verification-link`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const url = answer.body.url as string;
    tickets.push(url.split('/').pop()!);
    return url;
  }

  function browser(): StepUpBrowser {
    const created = new StepUpBrowser(dir);
    browsers.push(created);
    return created;
  }

  /** Keeps the sign-in's state and code of a run to search for them afterwards. */
  function remember(callbackUrl: string): void {
    const url = new URL(callbackUrl);
    for (const name of ['state', 'code']) if (url.searchParams.get(name)) signInSecrets.push(url.searchParams.get(name)!);
  }

  async function auditOf(requestId: string): Promise<AuditEvent[]> {
    return (await service.deps.store.listAudit(0, 10_000)).filter((event) => event.requestId === requestId) as unknown as AuditEvent[];
  }

  async function status(requestId: string): Promise<string> {
    return (await service.deps.store.getRequest(requestId))!.status;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-step-up-'));
    writeFileSync(join(dir, 'elevate.yaml'), CONFIG);
    service = await startService({ ...(await loopbackServiceEnv(dir)), ELEVATE_API_RATE_LIMIT: '10000', ELEVATE_CONFIG: join(dir, 'elevate.yaml') }, { logDestination: logs, clock });
    for (const person of ['alice', 'bob', 'carol']) tokens[person] = await personToken(service.url, dir, person);
  }, 180_000);

  beforeEach(() => {
    clock.shiftSec = 0;
  });

  afterAll(async () => {
    await service?.stop();
    const everything = browsers.flatMap((b) => b.hops);
    const elevatePages = everything.filter((hop) => hop.url.startsWith(`${service.url}/auth/`));
    // The ticket is in the link only: never in a page, a redirect or a log line.
    for (const ticket of tickets) {
      expect(logs.text()).not.toContain(ticket);
      for (const hop of everything) {
        expect(hop.body).not.toContain(ticket);
        expect(hop.location ?? '').not.toContain(ticket);
      }
    }
    // state and code travel in the protocol's redirects, and nowhere Elevate writes.
    for (const secret of signInSecrets) {
      expect(logs.text()).not.toContain(secret);
      for (const hop of elevatePages) {
        expect(hop.body).not.toContain(secret);
        if (hop.method === 'GET' && !new URL(hop.url).pathname.endsWith('/callback')) expect(hop.location ?? '').not.toContain(secret);
      }
    }
    // The token itself: nowhere at all.
    for (const token of issuedTokens) {
      expect(logs.text()).not.toContain(token);
      for (const hop of everything) {
        expect(hop.body).not.toContain(token);
        expect(hop.location ?? '').not.toContain(token);
      }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('says at start that step-up is on, with the callback to register', () => {
    const line = logs.entries.find((entry) => entry['step_up'] === 'on');
    expect(line?.['redirect_uri']).toBe(`${service.config.service.publicUrl}/auth/step-up/callback`);
  });

  it('records an approver’s approval after a step-up, with acr, amr and auth_time in the audit; then issues the token after the requester’s, the window starting at issuance', async () => {
    const requestId = await newRequest();
    const b = browser();
    const approved = await stepUp(b, await linkFor('bob', requestId), 'bob');
    remember(approved.run.callbackUrl);
    expect(approved.status, approved.body).toBe(200);
    expect(approved.body).toContain('approval of request');
    expect(approved.setCookies.join()).toMatch(/^elevate-step-up-[0-9a-f]{16}=; Path=\/auth\/step-up; Max-Age=0/);

    // What the first pages said and how they were served.
    expect(approved.run.preview.body).toContain('Verify to approve');
    expect(approved.run.preview.body).toContain(requestId);
    expect(approved.run.preview.body).toContain('<form method="post">');
    for (const hop of [approved.run.preview, approved.run.begun, approved]) {
      expect(hop.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
      expect(hop.headers.get('content-security-policy')).not.toContain('unsafe-inline');
      expect(hop.headers.get('x-content-type-options')).toBe('nosniff');
      expect(hop.headers.get('referrer-policy')).toBe('no-referrer');
      expect(hop.headers.get('cache-control')).toBe('no-store');
      expect(hop.body).not.toMatch(/<script/i);
    }
    const binding = approved.run.begun.setCookies.join();
    expect(binding).toMatch(/^elevate-step-up-[0-9a-f]{16}=[A-Za-z0-9_-]{43}; Path=\/auth\/step-up; Max-Age=600; HttpOnly; SameSite=Lax$/);
    expect(binding.split('=')[0]).toBe(approved.setCookies.join().split('=')[0]);
    const authorize = new URL(approved.run.begun.location!);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      scope: 'openid',
      client_id: service.config.oauth.clientId,
      redirect_uri: `${service.config.service.publicUrl}/auth/step-up/callback`,
      code_challenge_method: 'S256',
      prompt: 'login',
      max_age: '300',
      acr_values: 'urn:elevate:dev:otp',
    });
    for (const name of ['state', 'nonce', 'code_challenge']) expect(authorize.searchParams.get(name)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    signInSecrets.push(authorize.searchParams.get('nonce')!);

    const review = (await auditOf(requestId)).find((event) => event.type === 'review.recorded');
    expect(review).toMatchObject({ actor: 'bob', data: { decision: 'approve', via: 'web', authentication: { acr: 'urn:elevate:dev:otp', amr: expect.any(Array), auth_time: expect.any(Number) } } });
    expect(Math.abs((review!.data['authentication'] as { auth_time: number }).auth_time - Date.now() / 1000)).toBeLessThan(60);
    expect(await status(requestId)).toBe('verifying');
    expect(await service.deps.store.getGrantByRequest(requestId)).toBeNull();

    const before = new Date();
    const received = await stepUp(browser(), await linkFor('alice', requestId), 'alice');
    remember(received.run.callbackUrl);
    expect(received.status).toBe(200);
    expect(received.run.preview.body).toContain('Verify to receive your token');
    expect(received.body).toContain('your token is ready');
    const grant = (await service.deps.store.getGrantByRequest(requestId))!;
    expect(received.body).toContain(`elevate token ${grant.id}`);
    expect(grant.status).toBe('active');
    expect(grant.startsAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(grant.endsAt.getTime() - grant.startsAt.getTime()).toBe(30 * 60 * 1000);

    const token = await api('alice', 'POST', `/grants/${grant.id}/token`);
    const accessToken = token.body.access_token as string;
    issuedTokens.push(accessToken);
    expect(await service.deps.issuer.introspect(accessToken)).toMatchObject({ active: true, sub: 'alice', scope: 'prod:admin' });
    const trail = await auditOf(requestId);
    expect(trail.find((event) => event.type === 'request.verified')).toMatchObject({ actor: 'alice', data: { acr: 'urn:elevate:dev:otp', auth_time: expect.any(Number) } });
    expect(trail.find((event) => event.type === 'grant.issued')?.data).toMatchObject({ authentication: { acr: 'urn:elevate:dev:otp' } });
  });

  it('refuses an ID token of another person: an approver’s or a requester’s link signed in as someone else records and issues nothing', async () => {
    const requestId = await newRequest();
    const b = browser();
    const run = await signInThroughLink(b, await linkFor('bob', requestId), 'carol');
    remember(run.callbackUrl);
    const page = await b.get(run.callbackUrl);
    expect(page.status).toBe(403);
    expect(page.body).toContain('someone other than the person this link was sent to');
    expect(await service.deps.store.listReviews(requestId)).toEqual([]);
    expect((await auditOf(requestId)).find((event) => event.type === 'step_up.refused')?.data).toMatchObject({ reason: 'another_person' });

    // The requester's link, signed in as someone else (here the approver): no token.
    remember((await stepUp(browser(), await linkFor('bob', requestId), 'bob')).run.callbackUrl);
    expect(await status(requestId)).toBe('verifying');
    const asRequester = browser();
    const requesterRun = await signInThroughLink(asRequester, await linkFor('alice', requestId), 'bob');
    remember(requesterRun.callbackUrl);
    const refused = await asRequester.get(requesterRun.callbackUrl);
    expect(refused.status).toBe(403);
    expect(await status(requestId)).toBe('verifying');
    expect(await service.deps.store.getGrantByRequest(requestId)).toBeNull();
  });

  it('refuses a sign-in older than the scope’s max_age', async () => {
    const requestId = await newRequest('prod-quick');
    const b = browser();
    const run = await signInThroughLink(b, await linkFor('bob', requestId), 'bob');
    remember(run.callbackUrl);
    // The scope accepts a sign-in for one second: this one is older when it comes back.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const page = await b.get(run.callbackUrl);
    expect(page.status).toBe(403);
    expect(page.body).toContain('older than 1s');
    expect(await service.deps.store.listReviews(requestId)).toEqual([]);
  });

  it('refuses a sign-in whose acr and amr the scope does not accept, recording nothing', async () => {
    const requestId = await newRequest('vault-root');
    const b = browser();
    const run = await signInThroughLink(b, await linkFor('bob', requestId), 'bob');
    remember(run.callbackUrl);
    expect(new URL(run.begun.location!).searchParams.get('acr_values')).toBe('phr');
    const page = await b.get(run.callbackUrl);
    expect(page.status).toBe(403);
    expect(page.body).toContain('needs a stronger or fresher sign-in');
    expect((await auditOf(requestId)).find((event) => event.type === 'step_up.refused')?.data).toMatchObject({ reason: 'not_accepted' });
    expect(await status(requestId)).toBe('pending');
    expect(await service.deps.store.getGrantByRequest(requestId)).toBeNull();
  });

  it('refuses a replayed callback (the same state twice), and a ticket used twice', async () => {
    const requestId = await newRequest();
    const b = browser();
    const link = await linkFor('bob', requestId);
    const run = await signInThroughLink(b, link, 'bob');
    remember(run.callbackUrl);
    const cookie = b.cookieHeader(run.callbackUrl);
    expect((await b.get(run.callbackUrl)).status).toBe(200);
    const replayed = await b.get(run.callbackUrl, { cookie });
    expect(replayed.status).toBe(403);
    expect(replayed.body).toMatch(/unknown or was finished already|finished already/);
    expect((await service.deps.store.listReviews(requestId)).length).toBe(1);

    const again = await b.get(link);
    expect(again.status).toBe(403);
    expect(again.body).toContain('used already');
    const continued = await b.post(link);
    expect(continued.status).toBe(403);
    expect(continued.location).toBeNull();
  });

  it('refuses an expired link, and a link whose request moved on', async () => {
    const requestId = await newRequest();
    const link = await linkFor('bob', requestId);
    clock.shiftSec = 11 * 60;
    const expired = await browser().get(link);
    expect(expired.status).toBe(403);
    expect(expired.body).toContain('expired');
    clock.shiftSec = 0;

    const other = await newRequest();
    const otherLink = await linkFor('bob', other);
    expect((await api('alice', 'POST', `/requests/${other}/cancel`)).status).toBe(200);
    const moved = await browser().get(otherLink);
    expect(moved.status).toBe(403);
    expect(moved.body).toContain('no longer waiting for approvals');
    expect(await service.deps.store.listReviews(other)).toEqual([]);
  });

  it('refuses a callback in a browser that did not start the sign-in (login CSRF), and lets the right browser finish', async () => {
    const requestId = await newRequest();
    const started = browser();
    const run = await signInThroughLink(started, await linkFor('bob', requestId), 'bob');
    remember(run.callbackUrl);
    const victim = await browser().get(run.callbackUrl);
    expect(victim.status).toBe(403);
    expect(victim.body).toContain('started in another browser');
    expect(await service.deps.store.listReviews(requestId)).toEqual([]);
    // A planted cookie of another sign-in does not help either.
    const cookieName = started.cookieHeader(run.callbackUrl).split('=')[0];
    const planted = await browser().get(run.callbackUrl, { cookie: `${cookieName}=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA` });
    expect(planted.status).toBe(403);
    expect((await started.get(run.callbackUrl)).status).toBe(200);
  });

  it('lets one browser finish two sign-ins started one after the other, in either order', async () => {
    const first = await newRequest();
    const second = await newRequest();
    const b = browser();
    const runFirst = await signInThroughLink(b, await linkFor('bob', first), 'bob');
    const runSecond = await signInThroughLink(b, await linkFor('bob', second), 'bob');
    remember(runFirst.callbackUrl);
    remember(runSecond.callbackUrl);
    expect((await b.get(runSecond.callbackUrl)).status).toBe(200);
    expect((await b.get(runFirst.callbackUrl)).status).toBe(200);
    expect(await status(first)).toBe('verifying');
    expect(await status(second)).toBe('verifying');
  });

  it('follows no return URL: tampered parameters on the link, the form and the callback lead nowhere else', async () => {
    const requestId = await newRequest();
    const b = browser();
    const link = await linkFor('bob', requestId);
    const evil = 'https://evil.example/steal';
    const preview = await b.get(`${link}?return_to=${encodeURIComponent(evil)}&redirect_uri=${encodeURIComponent(evil)}`);
    expect(preview.status).toBe(200);
    expect(preview.body).not.toContain('evil.example');
    const begun = await b.post(`${link}?return_to=${encodeURIComponent(evil)}&redirect_uri=${encodeURIComponent(evil)}`, { return_to: evil, redirect_uri: evil });
    expect(begun.status).toBe(303);
    const authorize = new URL(begun.location!);
    expect(authorize.origin).toBe(new URL(service.config.oauth.issuer).origin);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${service.config.service.publicUrl}/auth/step-up/callback`);
    expect(begun.location).not.toContain('evil.example');

    // The provider will not send the code anywhere else either.
    authorize.searchParams.set('redirect_uri', evil);
    const refused = await b.get(authorize.href);
    expect(refused.location ?? '').not.toContain('evil.example');

    const run = await b.follow(begun, isCallback);
    const callback = await b.follow(await devLogin(b, run, 'bob'), isCallback);
    const callbackUrl = new URL(callback.location!, callback.url);
    remember(callbackUrl.href);
    callbackUrl.searchParams.set('return_to', evil);
    const done = await b.get(callbackUrl.href);
    expect(done.status).toBe(200);
    expect(done.location).toBeNull();
    expect(done.body).not.toContain('evil.example');
  });

  it('a GET of the link (a chat unfurl) never uses it, and a cross-site POST cannot', async () => {
    const requestId = await newRequest();
    const link = await linkFor('bob', requestId);
    for (let i = 0; i < 3; i++) expect((await browser().get(link)).status).toBe(200);
    const crossSite = await browser().post(link, {}, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect(crossSite.location).toBeNull();
    const ticket = (await service.deps.store.getStepUpTicket(hashSecret(link.split('/').pop()!)))!;
    expect(ticket.startedAt).toBeNull();
  });

  it('answers unknown paths and methods under /auth/step-up with pages, not the ticket', async () => {
    const b = browser();
    expect((await b.get(`${service.url}/auth/step-up/not-a-ticket`)).status).toBe(403);
    expect((await b.get(`${service.url}/auth/step-up/a/b`)).status).toBe(404);
    expect((await b.post(`${service.url}/auth/step-up/callback`)).status).toBe(405);
    const noState = await b.get(`${service.url}/auth/step-up/callback?code=x`);
    expect(noState.status).toBe(403);
    expect(noState.headers.get('content-type')).toContain('text/html');
  });
});

