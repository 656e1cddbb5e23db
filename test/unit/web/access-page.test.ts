import { describe, expect, it } from 'vitest';
import { ACCESS_ROUTES } from '../../../src/adapters/web/dashboard/access/index.ts';
import type { PageAnswer } from '../../../src/adapters/web/dashboard/page-route.ts';
import { decideRequest } from '../../../src/app/chat/decide-request.ts';
import { submitRequest } from '../../../src/app/chat/submit-request.ts';
import { verifyAndDeliver } from '../../../src/app/chat/verify-and-deliver.ts';
import type { AuthenticationEvidence } from '../../../src/domain/step-up.ts';
import { at } from '../../support/builders.ts';
import { callPage } from '../../support/page-call.ts';
import { chatWorld, type ChatWorld } from '../chat/chat-world.ts';

const MFA = { requester: true, approver: false, maxAgeSec: 300, acrValues: [], amr: ['otp', 'mfa'], allowServiceAccounts: false };
const signIn = (w: ChatWorld, principalId: string, ageSec = 0): AuthenticationEvidence => ({ subject: principalId, acr: null, amr: ['otp'], authTime: at(-ageSec, w.clock.now()) });

/** Runs a route of this section as the frame would, the session (and a POST's CSRF token) already checked. */
function call(w: ChatWorld, as: string, method: 'GET' | 'POST', path: string, form: Record<string, string> = {}, evidence = signIn(w, as)): Promise<PageAnswer> {
  return callPage(w.deps, ACCESS_ROUTES, { as, method, path, form, evidence });
}

const markup = (answer: PageAnswer) => (answer.kind === 'page' ? answer.body.markup : `(${answer.kind})`);

/** Alice asks on the dashboard, Bob approves, Alice verifies: an active grant of an MFA scope. */
async function aliceHoldsAGrant(w: ChatWorld): Promise<string> {
  const { request } = await submitRequest(w.deps, { actor: { principalId: 'alice', via: 'web' }, scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-3', source: 'web' });
  await decideRequest(w.deps, { requestId: request.id, actor: { principalId: 'bob', via: 'web' }, decision: 'approve' });
  await verifyAndDeliver(w.deps, { requestId: request.id, actor: { principalId: 'alice', via: 'web' }, evidence: signIn(w, 'alice') });
  return (await w.store.getGrantByRequest(request.id))!.id;
}

describe('My access', () => {
  it('offers only the scopes one may request, with their policy in words', async () => {
    const w = await chatWorld({ scope: { requesters: ['alice'], mfa: MFA } });
    expect(markup(await call(w, 'alice', 'GET', '/access'))).toMatch(/<option value="prod-db-admin"[^>]*>prod-db-admin/);
    expect(markup(await call(w, 'alice', 'GET', '/access'))).toContain('You verify with a multi-factor sign-in');
    const daves = markup(await call(w, 'dave', 'GET', '/access'));
    expect(daves).not.toContain('<option');
    expect(daves).toContain('There is no scope you may request.');
  });

  it('shows a refused request again with what to fix and the person’s own input, escaped', async () => {
    const w = await chatWorld();
    const answer = await call(w, 'alice', 'POST', '/access/requests', { scope: 'prod-db-admin', duration: '9d', reason: '<b>urgent</b>' });
    expect(answer).toMatchObject({ kind: 'page', status: 400 });
    expect(markup(answer)).toContain('role="alert"');
    expect(markup(answer)).toContain('&lt;b&gt;urgent&lt;/b&gt;</textarea>');
    expect(await w.store.listRequests({ requesterId: 'alice' })).toEqual([]);
  });

  it('makes one request of a form sent twice (a double click), and a new one from a new form', async () => {
    const w = await chatWorld();
    const page = markup(await call(w, 'alice', 'GET', '/access'));
    const key = /name="request_key" value="([^"]+)"/.exec(page)![1]!;
    const form = { scope: 'prod-db-admin', duration: '1h', reason: 'INC-5', request_key: key };
    expect(await call(w, 'alice', 'POST', '/access/requests', form)).toEqual({ kind: 'redirect', location: '/access?notice=requested' });
    expect(await call(w, 'alice', 'POST', '/access/requests', form)).toEqual({ kind: 'redirect', location: '/access?notice=requested' });
    expect(await w.store.listRequests({ requesterId: 'alice' })).toHaveLength(1);
    const next = /name="request_key" value="([^"]+)"/.exec(markup(await call(w, 'alice', 'GET', '/access')))![1]!;
    expect(next).not.toBe(key);
    await call(w, 'alice', 'POST', '/access/requests', { ...form, reason: 'INC-6', request_key: next });
    expect(await w.store.listRequests({ requesterId: 'alice' })).toHaveLength(2);
  });

  it('asks for a fresh sign-in before showing the token of a scope whose requesters verify, and shows it once it is fresh', async () => {
    const w = await chatWorld({ scope: { mfa: MFA } });
    const grantId = await aliceHoldsAGrant(w);
    w.clock.advance(600);
    expect(await call(w, 'alice', 'POST', `/access/grants/${grantId}/reveal`, {}, signIn(w, 'alice', 600))).toMatchObject({ kind: 'step_up', maxAgeSec: 300 });
    expect((await w.store.listAudit(0, 1000)).some((record) => record.type === 'grant.delivered')).toBe(false);
    const shown = await call(w, 'alice', 'POST', `/access/grants/${grantId}/reveal`, {}, signIn(w, 'alice', 5));
    expect(markup(shown)).toMatch(/<p class="token" id="token" tabindex="0">[^<]+<\/p>/);
    expect((await w.store.listAudit(0, 1000)).filter((record) => record.type === 'grant.delivered')).toHaveLength(1);
  });

  it('refuses another person’s token without a word about its scope or a step-up', async () => {
    const w = await chatWorld({ scope: { mfa: MFA } });
    const grantId = await aliceHoldsAGrant(w);
    await expect(call(w, 'bob', 'POST', `/access/grants/${grantId}/reveal`, {}, signIn(w, 'bob', 9999))).rejects.toMatchObject({ code: 'forbidden' });
    // Bob approves this scope, so he may end the grant (as in chat); Dave may not.
    await expect(call(w, 'dave', 'POST', `/access/grants/${grantId}/end`)).rejects.toMatchObject({ code: expect.stringMatching(/forbidden|not_found/) });
  });

  it('ends one’s grant and says so', async () => {
    const w = await chatWorld();
    const { request } = await submitRequest(w.deps, { actor: { principalId: 'alice', via: 'web' }, scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-4', source: 'web' });
    await decideRequest(w.deps, { requestId: request.id, actor: { principalId: 'bob', via: 'web' }, decision: 'approve' });
    const grant = (await w.store.getGrantByRequest(request.id))!;
    expect(await call(w, 'alice', 'POST', `/access/grants/${grant.id}/end`)).toEqual({ kind: 'redirect', location: '/access?notice=ended' });
    expect((await w.store.getGrant(grant.id))?.status).toBe('revoked');
  });
});
