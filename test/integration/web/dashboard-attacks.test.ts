import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_ROUTES } from '../../../src/adapters/web/dashboard/dashboard-routes.ts';
import { decideRequest } from '../../../src/app/chat/decide-request.ts';
import { startService, type RunningService } from '../../../src/main.ts';
import { completeDevLogin } from '../../fakes/oauth/device-sign-in.ts';
import { csrfOf, signedInBrowser } from '../../support/dashboard-http.ts';
import { eventuallyFound } from '../../support/eventually.ts';
import { LogCapture } from '../../support/log-capture.ts';
import { loopbackServiceEnv } from '../../support/loopback-service-env.ts';
import type { StepUpBrowser } from '../../support/step-up-browser.ts';

const CONFIG = `
principals:
  - { id: alice, name: Alice }
  - { id: bob, name: Bob }
  - { id: dave, name: Dave }
  - { id: erin, name: Erin }
admins: [erin]
scopes:
  - name: db-read
    description: Read the database
    oauth_scope: db:read
    audience: https://db.example.com
    max_duration: 2h
    approvers: [bob]
    requesters: [alice, dave]
channels:
  - { platform: slack, channel: C0REVIEW, scopes: [db-read] }
`;

/**
 * The attacks of issue 17 against the dashboard of a running service, over HTTP as a browser (or
 * a forged page) would send them: a form posted without or with another session's CSRF token or
 * from another site, pages above one's role, another person's grant and request, a session cookie
 * replayed after sign-out, a sign-in made to return elsewhere. Each must change nothing.
 */
describe('the dashboard under attack', () => {
  let service: RunningService;
  let dir: string;
  let alice: StepUpBrowser;
  let dave: StepUpBrowser;
  let requestId: string;
  let grantId: string;
  const logs = new LogCapture();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-dashboard-attacks-'));
    writeFileSync(join(dir, 'elevate.yaml'), CONFIG);
    service = await startService({ ...(await loopbackServiceEnv(dir)), ELEVATE_CONFIG: join(dir, 'elevate.yaml') }, { logDestination: logs });
    ({ browser: alice } = await signedInBrowser(service.url, dir, 'alice'));
    ({ browser: dave } = await signedInBrowser(service.url, dir, 'dave'));
    // Alice holds a grant (asked on the dashboard, approved by Bob) and has a request pending.
    const access = await alice.get(`${service.url}/access`);
    const firstAsk = await alice.submit(access, { scope: 'db-read', duration: '30m', reason: 'INC-7 first' }, '/access/requests');
    expect(firstAsk.status, firstAsk.body).toBe(303);
    const first = await eventuallyFound(async () => (await service.deps.store.listRequests({ requesterId: 'alice' }))[0]);
    await decideRequest(service.deps, { requestId: first.id, actor: { principalId: 'bob', via: 'web' }, decision: 'approve' });
    grantId = (await eventuallyFound(async () => {
      const grant = await service.deps.store.getGrantByRequest(first.id);
      return grant?.status === 'active' ? grant : undefined;
    })).id;
    expect((await alice.submit(await alice.get(`${service.url}/access`), { scope: 'db-read', duration: '30m', reason: 'INC-7 second' }, '/access/requests')).status).toBe(303);
    requestId = (await service.deps.store.listRequests({ requesterId: 'alice', statuses: ['pending'] }))[0]!.id;
  }, 180_000);

  afterAll(async () => {
    await service?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const auditHead = async () => (await service.deps.store.getAuditHead())?.seq ?? 0;
  const concrete = (path: string) => path.replace('{id}', path.includes('/grants/') ? grantId : requestId);
  const postRoutes = () => DASHBOARD_ROUTES.filter((route) => route.method === 'POST');

  it('refuses every POST without the session’s CSRF token, with another session’s, or from another site, and changes nothing', async () => {
    const alicesToken = csrfOf(await alice.get(`${service.url}/access`));
    const davesToken = csrfOf(await dave.get(`${service.url}/access`));
    expect(davesToken).not.toBe(alicesToken);
    const before = await auditHead();
    for (const route of [...postRoutes().map((r) => r.path), '/sign-out']) {
      const url = `${service.url}${concrete(route)}`;
      const fields = { scope: 'db-read', duration: '30m', reason: 'forged', platform: 'slack', channel: 'C1', comment: 'x' };
      for (const attempt of [
        await alice.post(url, fields),
        await alice.post(url, { ...fields, csrf: davesToken }),
        await alice.post(url, { ...fields, csrf: '' }),
        await alice.post(url, { ...fields, csrf: alicesToken }, { 'sec-fetch-site': 'cross-site' }),
        await alice.post(url, { ...fields, csrf: alicesToken }, { origin: 'https://evil.example' }),
      ]) {
        expect([403], `${route}: ${attempt.status}`).toContain(attempt.status);
      }
    }
    expect(await auditHead()).toBe(before);
    expect((await service.deps.store.getRequest(requestId))?.status).toBe('pending');
    expect((await service.deps.store.getGrant(grantId))?.status).toBe('active');
  });

  it('refuses admin and audit pages, and their POSTs, to a person without the role', async () => {
    const guarded = DASHBOARD_ROUTES.filter((route) => route.access !== 'signed_in');
    const token = csrfOf(await alice.get(`${service.url}/access`));
    for (const route of guarded) {
      const url = `${service.url}${concrete(route.path)}`;
      const answer = route.method === 'GET' ? await alice.get(url) : await alice.post(url, { csrf: token, platform: 'slack', channel: 'C1', scope: 'db-read' });
      expect(answer.status, route.path).toBe(403);
    }
  });

  it('shows nobody else a person’s token, nor lets them end, withdraw or verify what is not theirs', async () => {
    const token = csrfOf(await dave.get(`${service.url}/access`));
    const before = await auditHead();
    const reveal = await dave.post(`${service.url}/access/grants/${grantId}/reveal`, { csrf: token });
    expect([403, 404]).toContain(reveal.status);
    expect(reveal.body).not.toMatch(/id="token"/);
    for (const path of [`/access/grants/${grantId}/end`, `/access/requests/${requestId}/cancel`, `/access/requests/${requestId}/verify`, `/access/grants/${grantId}/extend`]) {
      const answer = await dave.post(`${service.url}${path}`, { csrf: token, duration: '30m', reason: 'mine now' });
      expect([403, 404], path).toContain(answer.status);
    }
    expect(await auditHead()).toBe(before);
    expect((await service.deps.store.getGrant(grantId))?.status).toBe('active');
    expect((await service.deps.store.getRequest(requestId))?.status).toBe('pending');
  });

  it('opens nothing with a session cookie replayed after sign-out', async () => {
    const { browser: erin } = await signedInBrowser(service.url, dir, 'erin');
    const page = await erin.get(`${service.url}/access`);
    expect(page.status).toBe(200);
    const stolen = erin.cookieHeader(`${service.url}/access`);
    expect(stolen).toMatch(/elevate-session=/);
    expect((await erin.post(`${service.url}/sign-out`, { csrf: csrfOf(page) })).status).toBe(303);
    const replayed = await fetch(`${service.url}/access`, { headers: { cookie: stolen }, redirect: 'manual' });
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get('location')).toMatch(/^\/sign-in/);
    const posted = await fetch(`${service.url}/access/requests`, { method: 'POST', headers: { cookie: stolen, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: csrfOf(page), scope: 'db-read', reason: 'x' }).toString(), redirect: 'manual' });
    expect(posted.status).toBe(401);
  });

  it('gives a new session id at every sign-in and ends the one the browser had', async () => {
    const { browser } = await signedInBrowser(service.url, dir, 'dave');
    const first = browser.cookieHeader(`${service.url}/access`);
    // Signed in already, the sign-in page sends the browser back; a sign-in started anyway makes a new session.
    expect((await browser.get(`${service.url}/sign-in`)).status).toBe(303);
    const toProvider = await browser.post(`${service.url}/sign-in`, { return_to: '/access' });
    const afterLogin = await completeDevLogin(browser, await browser.follow(toProvider), 'dave', dir, { forgetUsedCodes: true });
    expect((await browser.follow(afterLogin)).status).toBe(200);
    const second = browser.cookieHeader(`${service.url}/access`);
    expect(second).not.toBe(first);
    const replayed = await fetch(`${service.url}/access`, { headers: { cookie: first }, redirect: 'manual' });
    expect(replayed.status).toBe(303);
    const tampered = second.replace(/elevate-session=([^;]{10})/, 'elevate-session=AAAAAAAAAA');
    expect((await fetch(`${service.url}/access`, { headers: { cookie: tampered }, redirect: 'manual' })).status).toBe(303);
  });

  it('never follows a return_to off the dashboard', async () => {
    for (const evil of ['https://evil.example/', '//evil.example/x', '/\\evil.example', '/%2F%2Fevil.example', 'javascript:alert(1)', '/access/../../evil', '/oauth/auth?x=1']) {
      const page = await fetch(`${service.url}/sign-in?return_to=${encodeURIComponent(evil)}`);
      const body = await page.text();
      const field = /name="return_to" value="([^"]*)"/.exec(body)?.[1];
      expect(field, evil).toBe('/access');
    }
    const { landed } = await signedInBrowser(service.url, dir, 'dave', '//evil.example/x');
    expect(new URL(landed.url).origin).toBe(service.url);
    expect(new URL(landed.url).pathname).toBe('/access');
  });

  it('renders a reason with markup as text only', async () => {
    const payload = '<script>alert(1)</script> "><img src=x onerror=alert(2)> <a href="javascript:alert(3)">x</a>';
    const page = await dave.get(`${service.url}/access`);
    expect((await dave.submit(page, { scope: 'db-read', duration: '30m', reason: payload }, '/access/requests')).status).toBe(303);
    const after = await dave.get(`${service.url}/access`);
    expect(after.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(after.body).not.toContain('<script>alert');
    expect(after.body).not.toContain('<img src=x');
    expect(after.body).not.toContain('href="javascript:');
    expect(after.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(after.headers.get('content-security-policy')).not.toMatch(/unsafe-inline/);
  });

  it('keeps tokens and session secrets out of the logs', () => {
    expect(logs.text()).not.toMatch(/elevate-session=/);
  });
});
