import { describe, expect, it } from 'vitest';
import { submitBreakGlass } from '../../../src/app/chat/submit-break-glass.ts';
import { submitRequest } from '../../../src/app/chat/submit-request.ts';
import type { PageAnswer } from '../../../src/adapters/web/dashboard/page-route.ts';
import { REVIEW_ROUTES } from '../../../src/adapters/web/dashboard/review/review-routes.ts';
import type { AuthenticationEvidence } from '../../../src/domain/step-up.ts';
import { aGrant, aPrincipal, aRequest, at, T0 } from '../../support/builders.ts';
import { slackUser } from '../../support/core-harness.ts';
import { callPage } from '../../support/page-call.ts';
import { chatWorld, type ChatWorld } from '../chat/chat-world.ts';

const MFA_APPROVERS = { requester: false, approver: true, maxAgeSec: 300, acrValues: ['urn:elevate:mfa'], amr: ['mfa'], allowServiceAccounts: false };

const ask = async (w: ChatWorld, reason = 'INC-1 investigating') =>
  (await submitRequest(w.deps, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason, source: 'slack' })).request;

/** A sign-in of `principalId` `ageSec` ago, by password unless `amr` says otherwise. */
const signIn = (w: ChatWorld, principalId: string, ageSec = 0, amr = ['pwd']): AuthenticationEvidence => ({ subject: principalId, acr: null, amr, authTime: at(-ageSec, w.clock.now()) });

/** Runs a route of this section as the frame would, the session (and a POST's CSRF token) already checked. */
function call(w: ChatWorld, as: string, method: 'GET' | 'POST', path: string, form: Record<string, string> = {}, evidence = signIn(w, as)): Promise<PageAnswer> {
  return callPage(w.deps, REVIEW_ROUTES, { as, method, path, form, evidence });
}

function markup(answer: PageAnswer): string {
  if (answer.kind !== 'page') throw new Error(`expected a page, got ${JSON.stringify(answer)}`);
  return answer.body.markup;
}

const reviewsOf = async (w: ChatWorld, requestId: string) => (await w.store.listReviews(requestId)).map((r) => [r.approverId, r.decision, r.comment]);

describe('the review page', () => {
  it('shows an approver each pending request with its facts, approvers and risk signals, and keeps itself live', async () => {
    const w = await chatWorld();
    const request = await ask(w);
    w.clock.advance(7 * 60);
    const answer = await call(w, 'bob', 'GET', '/review');
    const body = markup(answer);
    expect(answer).toMatchObject({ kind: 'page', title: 'Review', section: 'review', live: true });
    expect(body).toContain('Alice asks for <strong>prod-db-admin</strong> for 1h');
    expect(body).toContain('<dd class="reason">INC-1 investigating</dd>');
    expect(body).toContain('(7 minutes ago)');
    expect(body).toContain('<dt>Approvals</dt><dd>0 of 1</dd>');
    expect(body).toContain('<dt>Approvers</dt><dd>Bob, Carol</dd>');
    expect(body).toContain('<strong>First request</strong> by this person for this scope.');
    expect(body).toMatch(/<li class="warning">.*<strong>Never seen before<\/strong>/);
    expect(body).toContain('Nobody else holds this scope right now.');
    expect(body).toContain(`action="/review/${request.id}/approve"`);
    expect(body).toContain('name="csrf" value="csrf-token-of-the-session"');
  });

  it('counts the requester’s recent requests, their dormancy, usual hours and other holders in words', async () => {
    const w = await chatWorld({ scope: { policy: { autoApprove: false, allowedHoursUtc: null, maxRequestsPerDay: null, dormantAfterDays: null, usualHoursUtc: { start: '10:00', end: '18:00' } } } });
    await w.store.transaction((tx) => tx.putPrincipal(aPrincipal({ id: 'alice', lastSeenAt: at(-45 * 86_400) })));
    const first = await ask(w, 'INC-1');
    const dormant = markup(await call(w, 'carol', 'GET', '/review'));
    expect(dormant).toMatch(/<li class="warning">.*Last seen 45 days before this request\.<\/li>/);
    expect(dormant).toContain('<strong>Outside usual hours</strong> (10:00–18:00 UTC).');
    await call(w, 'bob', 'POST', `/review/${first.id}/deny`, { reason: 'use the replica' });
    await w.store.transaction(async (tx) => {
      const held = aRequest({ requesterId: 'dave', status: 'approved' });
      await tx.insertRequest(held);
      await tx.insertGrant(aGrant({ requestId: held.id, startsAt: T0, endsAt: at(8 * 3600) }));
    });
    w.clock.advance(2 * 3600);
    await ask(w, 'INC-2');
    const body = markup(await call(w, 'carol', 'GET', '/review'));
    expect(body).toContain('1 earlier request by this person for this scope in the last 30 days.');
    expect(body).toContain('Within usual hours (10:00–18:00 UTC).');
    expect(body).not.toContain('First request');
    expect(body).toContain('Also holding it now (1): Dave.');
  });

  it('says plainly when nothing waits, and never lists a person’s own request or an expired one', async () => {
    const w = await chatWorld();
    await ask(w);
    expect(markup(await call(w, 'dave', 'GET', '/review'))).toContain('Nothing is waiting for your review.');
    expect(markup(await call(w, 'alice', 'GET', '/review'))).toContain('Nothing is waiting for your review.');
    w.clock.advance(3601);
    expect(markup(await call(w, 'bob', 'GET', '/review'))).toContain('Nothing is waiting for your review.');
  });

  it('shows the notice a decision redirected with', async () => {
    const w = await chatWorld();
    expect(markup(await call(w, 'bob', 'GET', '/review?notice=denied'))).toContain('<p class="done" role="status">Denied. The requester is told your reason.</p>');
  });
});

describe('approving from the dashboard', () => {
  it('records the approval as the web’s, issues the grant and updates the Slack and Teams messages', async () => {
    const w = await chatWorld();
    const request = await ask(w);
    const answer = await call(w, 'bob', 'POST', `/review/${request.id}/approve`, { comment: 'ok for INC-1' });
    expect(answer).toEqual({ kind: 'redirect', location: '/review?notice=approved' });
    expect(await reviewsOf(w, request.id)).toEqual([['bob', 'approve', 'ok for INC-1']]);
    const recorded = (await w.store.listAudit(0, 100)).find((r) => r.type === 'review.recorded');
    expect(recorded?.data).toMatchObject({ decision: 'approve', via: 'web' });
    expect(w.slack.lastUpdateOf(request.id)?.request.status).toBe('approved');
    expect(w.teams.lastUpdateOf(request.id)?.grant?.status).toBe('active');
  });

  it('says the approval is recorded while the request needs another, and then shows it as such', async () => {
    const w = await chatWorld({ scope: { approvalsRequired: 2 } });
    const request = await ask(w);
    expect(await call(w, 'bob', 'POST', `/review/${request.id}/approve`)).toEqual({ kind: 'redirect', location: '/review?notice=approval_recorded' });
    const body = markup(await call(w, 'bob', 'GET', '/review'));
    expect(body).toContain('<dd>Bob (approved), Carol</dd>');
    expect(body).toContain('it waits for 1 more approval from the other approvers.');
    expect(body).not.toContain(`/review/${request.id}/approve`);
    expect(markup(await call(w, 'bob', 'POST', `/review/${request.id}/approve`))).toContain('You have already reviewed this request.');
  });

  it('refuses a person approving their own request, and records nothing', async () => {
    const w = await chatWorld({ scope: { approvers: ['alice', 'bob'] } });
    const request = await ask(w);
    const answer = await call(w, 'alice', 'POST', `/review/${request.id}/approve`);
    expect(answer).toMatchObject({ kind: 'page', status: 403 });
    expect(markup(answer)).toContain('You cannot review your own request; another approver has to.');
    expect(await reviewsOf(w, request.id)).toEqual([]);
  });

  it('tells a non-approver the request does not exist, revealing nothing of it, for approve and deny alike', async () => {
    const w = await chatWorld();
    const request = await ask(w, 'INC-77 secret incident');
    for (const [action, form] of [['approve', {}], ['deny', { reason: 'no' }], ['deny', {}]] as const) {
      const answer = await call(w, 'dave', 'POST', `/review/${request.id}/${action}`, form);
      expect(answer).toMatchObject({ kind: 'page', status: 404 });
      expect(markup(answer)).toContain('That request does not exist.');
      expect(markup(answer)).not.toMatch(/prod-db-admin|INC-77|Alice/);
    }
    expect(markup(await call(w, 'dave', 'POST', '/review/r-404/approve'))).toContain('That request does not exist.');
    expect(await reviewsOf(w, request.id)).toEqual([]);
    expect((await w.store.getRequest(request.id))?.status).toBe('pending');
  });

  it('refuses a comment over the length limit and records nothing', async () => {
    const w = await chatWorld();
    const request = await ask(w);
    const answer = await call(w, 'bob', 'POST', `/review/${request.id}/approve`, { comment: 'x'.repeat(501) });
    expect(answer).toMatchObject({ kind: 'page', status: 400 });
    expect(markup(answer)).toContain('The comment is too long');
    expect(await reviewsOf(w, request.id)).toEqual([]);
  });

  it('answers a request decided meanwhile with a conflict', async () => {
    const w = await chatWorld();
    const request = await ask(w);
    await call(w, 'bob', 'POST', `/review/${request.id}/approve`);
    const answer = await call(w, 'carol', 'POST', `/review/${request.id}/approve`);
    expect(answer).toMatchObject({ kind: 'page', status: 409 });
    expect(markup(answer)).toContain('This request is already approved.');
  });

  it('on a scope asking approvers for MFA, answers a stale or password-only sign-in with a step-up and records nothing', async () => {
    const w = await chatWorld({ scope: { mfa: MFA_APPROVERS } });
    const request = await ask(w);
    for (const evidence of [signIn(w, 'bob', 3600, ['mfa']), signIn(w, 'bob', 0, ['pwd'])]) {
      const answer = await call(w, 'bob', 'POST', `/review/${request.id}/approve`, {}, evidence);
      expect(answer).toMatchObject({ kind: 'step_up', acrValues: ['urn:elevate:mfa'], maxAgeSec: 300 });
      expect(answer.kind === 'step_up' && answer.why).toMatch(/^Approving on scope prod-db-admin needs a fresh multi-factor sign-in\./);
    }
    expect(await reviewsOf(w, request.id)).toEqual([]);
    expect((await w.store.listAudit(0, 100)).some((r) => r.type === 'review.recorded')).toBe(false);
    expect(w.slack.notices.some((n) => n.notice.kind === 'verify_to_approve')).toBe(false);

    const fresh = await call(w, 'bob', 'POST', `/review/${request.id}/approve`, {}, signIn(w, 'bob', 10, ['mfa']));
    expect(fresh).toEqual({ kind: 'redirect', location: '/review?notice=approved' });
    expect(await reviewsOf(w, request.id)).toEqual([['bob', 'approve', null]]);
  });
});

describe('denying from the dashboard', () => {
  it('denies with the reason the requester is shown', async () => {
    const w = await chatWorld();
    const request = await ask(w);
    expect(await call(w, 'bob', 'POST', `/review/${request.id}/deny`, { reason: '  use the read replica  ' })).toEqual({ kind: 'redirect', location: '/review?notice=denied' });
    expect(await w.store.getRequest(request.id)).toMatchObject({ status: 'denied', decisionNote: 'use the read replica' });
    expect(w.slack.lastUpdateOf(request.id)?.request.status).toBe('denied');
  });

  it('sends the form back with its reason field marked when the reason is empty, and denies nothing', async () => {
    const w = await chatWorld();
    const request = await ask(w);
    for (const form of [{}, { reason: '' }, { reason: ' \t\u0000 ' }] as Record<string, string>[]) {
      const answer = await call(w, 'bob', 'POST', `/review/${request.id}/deny`, form);
      expect(answer).toMatchObject({ kind: 'page', status: 400 });
      expect(markup(answer)).toContain('A denial needs a reason');
      expect(markup(answer)).toContain(`aria-invalid="true" aria-describedby="deny-${request.id}-problem"`);
    }
    expect((await w.store.getRequest(request.id))?.status).toBe('pending');
    expect(await reviewsOf(w, request.id)).toEqual([]);
  });

  it('refuses an empty denial of one’s own request as self-review, not as a missing reason', async () => {
    const w = await chatWorld({ scope: { approvers: ['alice', 'bob'] } });
    const request = await ask(w);
    const answer = await call(w, 'alice', 'POST', `/review/${request.id}/deny`, {});
    expect(answer).toMatchObject({ kind: 'page', status: 403 });
    expect(markup(answer)).toContain('You cannot review your own request');
  });
});

describe('markup from people', () => {
  const ATTACKS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)'];

  it('renders reasons and names as text only, on the queue and on the form sent back', async () => {
    const w = await chatWorld();
    await w.store.transaction((tx) => tx.putPrincipal(aPrincipal({ id: 'alice', displayName: '<b onmouseover=alert(1)>Alice</b>' })));
    const ids = [];
    for (const attack of ATTACKS) ids.push((await ask(w, attack)).id);
    const pages = [markup(await call(w, 'bob', 'GET', '/review')), markup(await call(w, 'bob', 'POST', `/review/${ids[1]}/deny`, { reason: '' }))];
    for (const body of pages) {
      expect(body).not.toMatch(/<script|<img|<b |href="javascript:/i);
      expect(body).toContain('&lt;b onmouseover=alert(1)&gt;Alice&lt;/b&gt;');
    }
    expect(pages[0]).toContain('<dd class="reason">&lt;script&gt;alert(1)&lt;/script&gt;</dd>');
    expect(pages[0]).toContain('<dd class="reason">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</dd>');
    expect(pages[0]).toContain('<dd class="reason">javascript:alert(1)</dd>');
    expect(pages[1]).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('break-glass grants on the review page', () => {
  const BREAK_GLASS = { allowed: true, maxDurationSec: null, broadcast: [{ platform: 'slack' as const, channelId: 'C-SECURITY' }], reviewWithinSec: 4 * 3600 };
  const takeBreakGlass = async (w: ChatWorld) =>
    (await submitBreakGlass(w.deps, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '30m', reason: 'INC-9 production is down', source: 'slack' })).request;

  it('lists them for the scope’s approvers only, and says when nothing else waits', async () => {
    const w = await chatWorld({ scope: { breakGlass: BREAK_GLASS } });
    const request = await takeBreakGlass(w);
    const body = markup(await call(w, 'bob', 'GET', '/review'));
    expect(body).toContain('No request is waiting for your approval.');
    expect(body).toContain('Alice took <strong>prod-db-admin</strong> for 30m without approval');
    expect(body).toContain(`action="/review/${request.id}/acknowledge"`);
    expect(body).toContain(`action="/review/${request.id}/flag"`);
    expect(markup(await call(w, 'alice', 'GET', '/review'))).toContain('Nothing is waiting for your review.');
    expect(markup(await call(w, 'dave', 'GET', '/review'))).toContain('Nothing is waiting for your review.');
    w.clock.advance(4 * 3600);
    expect(markup(await call(w, 'bob', 'GET', '/review'))).toContain('<strong>the review is overdue</strong>');
  });

  it('acknowledges once, and refuses the requester, strangers and a second review', async () => {
    const w = await chatWorld({ scope: { breakGlass: BREAK_GLASS, approvers: ['alice', 'bob', 'carol'] } });
    const request = await takeBreakGlass(w);
    expect(await call(w, 'alice', 'POST', `/review/${request.id}/acknowledge`)).toMatchObject({ kind: 'page', status: 403 });
    const stranger = await call(w, 'dave', 'POST', `/review/${request.id}/flag`);
    expect(stranger).toMatchObject({ kind: 'page', status: 404 });
    expect(markup(stranger)).not.toMatch(/prod-db-admin|INC-9/);
    expect(await call(w, 'bob', 'POST', `/review/${request.id}/acknowledge`, { note: 'seen the incident' })).toEqual({ kind: 'redirect', location: '/review?notice=break_glass_acknowledged' });
    expect((await w.store.getRequest(request.id))?.breakGlass).toMatchObject({ verdict: 'acknowledged', reviewedBy: 'bob', note: 'seen the incident' });
    expect(await call(w, 'carol', 'POST', `/review/${request.id}/flag`)).toMatchObject({ kind: 'page', status: 409 });
    expect(markup(await call(w, 'carol', 'GET', '/review'))).toContain('Nothing is waiting for your review.');
  });

  it('flags, posting the grant again to the broadcast channel', async () => {
    const w = await chatWorld({ scope: { breakGlass: BREAK_GLASS } });
    const request = await takeBreakGlass(w);
    const before = w.slack.posted.filter((p) => p.channelId === 'C-SECURITY').length;
    expect(await call(w, 'bob', 'POST', `/review/${request.id}/flag`, { note: 'no ticket' })).toEqual({ kind: 'redirect', location: '/review?notice=break_glass_flagged' });
    expect(w.slack.posted.filter((p) => p.channelId === 'C-SECURITY').length).toBe(before + 1);
    expect((await w.store.listAudit(0, 100)).map((r) => r.type)).toContain('break_glass.flagged');
  });
});
