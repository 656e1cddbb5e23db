import { describe, expect, it } from 'vitest';
import { decideRequest } from '../../../src/app/chat/decide-request.ts';
import { resendStepUpLink } from '../../../src/app/chat/resend-step-up-link.ts';
import { submitRequest } from '../../../src/app/chat/submit-request.ts';
import { expirePendingRequests } from '../../../src/app/expire-pending-requests.ts';
import { requestElevation } from '../../../src/app/request-elevation.ts';
import { beginStepUp, completeStepUp, issueStepUpLink, previewStepUp, type StepUpSettings } from '../../../src/app/step-up/index.ts';
import { verifyRequester } from '../../../src/app/step-up/verify-requester.ts';
import { isElevateError } from '../../../src/domain/errors.ts';
import type { AuthenticationEvidence, MfaPolicy } from '../../../src/domain/step-up.ts';
import type { AuthorizationRequest, PersonAuthenticator, RedeemRequest } from '../../../src/ports/person-authenticator.ts';
import { LateBoundPersonAuthenticator } from '../../../src/adapters/oauth/late-bound-token-issuer.ts';
import { aPrincipal } from '../../support/builders.ts';
import { slackUser } from '../../support/core-harness.ts';
import { chatWorld, type ChatWorld } from './chat-world.ts';

const MFA: MfaPolicy = { requester: true, approver: true, maxAgeSec: 300, acrValues: [], amr: ['otp'], allowServiceAccounts: false };

/**
 * An OpenID provider as the core sees it, for unit tests of the flow: it keeps what it was asked,
 * and answers the callback with the sign-in the test scripted, only for the `state` and `nonce`
 * it was given (as a real provider's ID token would carry them). The real provider and ID-token
 * checks are tested against the development AS in test/integration.
 */
class ScriptedProvider implements PersonAuthenticator {
  readonly asked: AuthorizationRequest[] = [];
  readonly redeemed: RedeemRequest[] = [];
  next: ((at: Date) => AuthenticationEvidence) | Error = (at) => ({ subject: 'alice', acr: 'urn:elevate:dev:totp', amr: ['otp'], authTime: at });
  constructor(private readonly now: () => Date) {}

  authorizationUrl(input: AuthorizationRequest): URL {
    this.asked.push(input);
    return new URL(`https://idp.example/authorize?state=${input.state}`);
  }

  async redeem(input: RedeemRequest): Promise<AuthenticationEvidence> {
    this.redeemed.push(input);
    const asked = this.asked.find((a) => a.state === input.state);
    if (!asked || asked.nonce !== input.nonce) throw new Error('nonce mismatch');
    if (this.next instanceof Error) throw this.next;
    return this.next(this.now());
  }
}

async function mfaWorld(mfa: Partial<MfaPolicy> = {}) {
  const world = await chatWorld({ scope: { mfa: { ...MFA, ...mfa } } });
  const provider = new ScriptedProvider(() => world.clock.now());
  const stepUp: StepUpSettings = { authenticator: provider, redirectUri: 'https://elevate.example/auth/step-up/callback', linkFor: (t) => `https://elevate.example/auth/step-up/${t}` };
  world.deps.stepUp = stepUp;
  return { world, provider, deps: world.deps };
}

const ticketOf = (url: string) => url.split('/').at(-1)!;
const linksTo = (world: ChatWorld, userId: string) => world.slack.notices.filter((n) => n.userId === userId && (n.notice.kind === 'verify_to_receive' || n.notice.kind === 'verify_to_approve'));

async function signInThroughLink(deps: Awaited<ReturnType<typeof mfaWorld>>['deps'], url: string) {
  const began = await beginStepUp(deps, ticketOf(url));
  const state = began.authorizationUrl.searchParams.get('state')!;
  return completeStepUp(deps, { state, binding: began.binding, callbackUrl: new URL(`https://elevate.example/auth/step-up/callback?code=c&state=${state}`) });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(() => 'no error', (error: unknown) => (isElevateError(error) ? error.code : String(error)));
}

/** Bob has verified recently: his clicks count. */
async function bobVerified(world: ChatWorld) {
  await world.store.transaction((tx) => tx.putLastAuthentication('bob', { subject: 'bob', acr: null, amr: ['otp'], authTime: world.clock.now() }, world.clock.now()));
}

describe('requester step-up', () => {
  it('holds the token back after approval, sends the requester a link, and issues after the verification', async () => {
    const { world, provider, deps } = await mfaWorld();
    await bobVerified(world);
    const { request } = await submitRequest(deps, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-9', source: 'slack' });
    world.clock.advance(60);
    await decideRequest(deps, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    expect(await world.store.getRequest(request.id)).toMatchObject({ status: 'verifying', pendingUntil: new Date(world.clock.now().getTime() + 3600_000) });
    expect(await world.store.getGrantByRequest(request.id)).toBeNull();
    expect(world.issuer.exchanges).toHaveLength(0);
    const [link] = linksTo(world, 'U-ALICE');
    expect(link?.notice.kind).toBe('verify_to_receive');

    world.clock.advance(120);
    const url = (link!.notice as { link: { url: string } }).link.url;
    expect(await previewStepUp(deps, ticketOf(url))).toMatchObject({ purpose: 'receive', principalId: 'alice', scopeName: 'prod-db-admin' });
    const done = await signInThroughLink(deps, url);
    expect(done.outcome).toBe('issued');
    expect(provider.asked[0]).toMatchObject({ maxAgeSec: 300, acrValues: [] });
    const grant = await world.store.getGrantByRequest(request.id);
    // The window starts at the verification, not at the approval.
    expect(grant).toMatchObject({ status: 'active', startsAt: world.clock.now() });
    expect(world.issuer.exchanges[0]?.authentication).toMatchObject({ subject: 'alice', acr: 'urn:elevate:dev:totp', amr: ['otp'] });
    const audit = await world.store.listAudit(0, 100);
    expect(audit.map((r) => r.type)).toEqual(expect.arrayContaining(['request.verification_required', 'step_up.link_issued', 'step_up.started', 'request.verified', 'grant.issued']));
    expect(audit.find((r) => r.type === 'grant.issued')?.data).toMatchObject({ authentication: { acr: 'urn:elevate:dev:totp', amr: ['otp'] } });
  });

  it('goes to verification after an automatic approval too, and approves as policy did', async () => {
    const { world, deps } = await mfaWorld();
    await world.store.transaction(async (tx) => tx.putScope({ ...(await tx.getScope('prod-db-admin'))!, policy: { autoApprove: true, allowedHoursUtc: null, maxRequestsPerDay: null, dormantAfterDays: null } }));
    const { request } = await submitRequest(deps, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-9', source: 'slack' });
    expect(request.status).toBe('verifying');
    const [link] = linksTo(world, 'U-ALICE');
    await signInThroughLink(deps, (link!.notice as { link: { url: string } }).link.url);
    expect(await world.store.getRequest(request.id)).toMatchObject({ status: 'auto_approved' });
    expect(await world.store.getGrantByRequest(request.id)).toMatchObject({ status: 'active' });
  });

  it('expires a request whose verification never comes, and says so', async () => {
    const { world, deps } = await mfaWorld();
    await bobVerified(world);
    const { request } = await submitRequest(deps, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-9', source: 'slack' });
    await decideRequest(deps, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    world.clock.advance(3600);
    const expired = await expirePendingRequests(world);
    expect(expired.map((r) => r.id)).toEqual([request.id]);
    expect(await world.store.getRequest(request.id)).toMatchObject({ status: 'expired', decisionNote: 'The requester did not verify in time.' });
    expect(await world.store.getGrantByRequest(request.id)).toBeNull();
  });

  it('refuses service accounts on scopes that need requester MFA, unless the scope allows them', async () => {
    const { world, deps } = await mfaWorld();
    await world.store.transaction((tx) => tx.putPrincipal(aPrincipal({ id: 'ci-bot', kind: 'service' })));
    const attempt = requestElevation(deps, { actor: { principalId: 'ci-bot', via: 'api' }, scopeName: 'prod-db-admin', duration: '1h', reason: 'deploy', source: 'api' });
    await expect(attempt).rejects.toThrow(/a service account cannot/);
    expect(await codeOf(attempt)).toBe('step_up_unavailable');
    await world.store.transaction(async (tx) => tx.putScope({ ...(await tx.getScope('prod-db-admin'))!, mfa: { ...MFA, allowServiceAccounts: true } }));
    const { request } = await requestElevation(deps, { actor: { principalId: 'ci-bot', via: 'api' }, scopeName: 'prod-db-admin', duration: '1h', reason: 'deploy', source: 'api' });
    expect(request.status).toBe('pending');
  });

  it('checks a verification against the scope when it is recorded: stale or weak evidence is refused', async () => {
    const { world, deps } = await mfaWorld();
    await bobVerified(world);
    const { request } = await submitRequest(deps, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-9', source: 'slack' });
    await decideRequest(deps, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    const stale = { subject: 'alice', acr: null, amr: ['otp'], authTime: new Date(world.clock.now().getTime() - 301_000) };
    expect(await codeOf(verifyRequester(world, { requestId: request.id, principalId: 'alice', evidence: stale }))).toBe('step_up_required');
    const weak = { subject: 'alice', acr: null, amr: ['pwd'], authTime: world.clock.now() };
    expect(await codeOf(verifyRequester(world, { requestId: request.id, principalId: 'alice', evidence: weak }))).toBe('step_up_required');
    expect(await codeOf(verifyRequester(world, { requestId: request.id, principalId: 'bob', evidence: { ...weak, amr: ['otp'], subject: 'bob' } }))).toBe('forbidden');
    expect((await world.store.getRequest(request.id))?.status).toBe('verifying');
  });
});

describe('approver step-up', () => {
  it('does not count a click without a fresh verification, sends a link, and counts it after', async () => {
    const { world, provider, deps } = await mfaWorld();
    const { request } = await submitRequest(deps, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-9', source: 'slack' });
    const click = await decideRequest(deps, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    expect(click.outcome.kind).toBe('step_up_required');
    expect(await world.store.listReviews(request.id)).toEqual([]);
    const [link] = linksTo(world, 'U-BOB');
    expect(link?.notice.kind).toBe('verify_to_approve');

    provider.next = (at) => ({ subject: 'bob', acr: null, amr: ['otp'], authTime: at });
    const done = await signInThroughLink(deps, (link!.notice as { link: { url: string } }).link.url);
    expect(done.outcome).toBe('approved');
    const reviews = await world.store.listReviews(request.id);
    expect(reviews).toMatchObject([{ approverId: 'bob', decision: 'approve' }]);
    const recorded = (await world.store.listAudit(0, 100)).find((r) => r.type === 'review.recorded');
    expect(recorded?.data).toMatchObject({ via: 'web', authentication: { amr: ['otp'] } });
    // The approval completed the reviews; the requester must verify next.
    expect((await world.store.getRequest(request.id))?.status).toBe('verifying');
    // Within max_age, bob's next click on another request counts at once.
    const second = await submitRequest(deps, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-10', source: 'slack' });
    expect((await decideRequest(deps, { requestId: second.request.id, actor: slackUser('bob'), decision: 'approve' })).outcome.kind).toBe('approved');
  });

  it('lets a denial through without any verification', async () => {
    const { world, deps } = await mfaWorld();
    const { request } = await submitRequest(deps, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-9', source: 'slack' });
    expect((await decideRequest(deps, { requestId: request.id, actor: slackUser('bob'), decision: 'deny', comment: 'no' })).outcome.kind).toBe('denied');
    expect(linksTo(world, 'U-BOB')).toEqual([]);
  });

  it('sends no link to someone who could not approve anyway', async () => {
    const { world, deps } = await mfaWorld();
    const { request } = await submitRequest(deps, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-9', source: 'slack' });
    expect(await codeOf(decideRequest(deps, { requestId: request.id, actor: slackUser('dave'), decision: 'approve' }))).toBe('not_an_approver');
    expect(await codeOf(decideRequest(deps, { requestId: request.id, actor: slackUser('alice'), decision: 'approve' }))).toBe('self_approval');
    expect(await codeOf(issueStepUpLink(deps, { purpose: 'approve', requestId: request.id, principalId: 'alice' }))).toBe('step_up_refused');
    expect(linksTo(world, 'U-DAVE').concat(linksTo(world, 'U-ALICE'))).toEqual([]);
  });
});

describe('attacks on the links and the callback', () => {
  async function verifyingRequest() {
    const setup = await mfaWorld();
    await bobVerified(setup.world);
    const { request } = await submitRequest(setup.deps, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-9', source: 'slack' });
    await decideRequest(setup.deps, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    const url = (linksTo(setup.world, 'U-ALICE')[0]!.notice as { link: { url: string } }).link.url;
    return { ...setup, request, url };
  }
  const refusalReasons = async (world: ChatWorld) => (await world.store.listAudit(0, 200)).filter((r) => r.type === 'step_up.refused').map((r) => r.data['reason']);

  it('leaves a link usable when the provider is not connected yet', async () => {
    const { deps, url } = await verifyingRequest();
    const late = new LateBoundPersonAuthenticator(10);
    const provider = deps.stepUp!.authenticator;
    deps.stepUp = { ...deps.stepUp!, authenticator: late };
    expect(await codeOf(beginStepUp(deps, ticketOf(url)))).toBe('issuer_unavailable');
    late.bind(provider);
    expect((await beginStepUp(deps, ticketOf(url))).authorizationUrl.href).toContain('idp.example');
  });

  it('refuses a link followed twice', async () => {
    const { deps, url, world, request } = await verifyingRequest();
    await beginStepUp(deps, ticketOf(url));
    expect(await codeOf(beginStepUp(deps, ticketOf(url)))).toBe('step_up_refused');
    expect(await world.store.getGrantByRequest(request.id)).toBeNull();
  });

  it('refuses an expired link, an unknown one and a malformed one', async () => {
    const { deps, url, world } = await verifyingRequest();
    expect(await codeOf(beginStepUp(deps, 'x'.repeat(43)))).toBe('step_up_refused');
    expect(await codeOf(beginStepUp(deps, '../../etc/passwd'))).toBe('step_up_refused');
    world.clock.advance(601);
    await expect(beginStepUp(deps, ticketOf(url))).rejects.toThrow(/expired/);
  });

  it('refuses a replayed callback, with nothing issued twice', async () => {
    const { deps, url, world, request, provider } = await verifyingRequest();
    const began = await beginStepUp(deps, ticketOf(url));
    const state = began.authorizationUrl.searchParams.get('state')!;
    const callback = { state, binding: began.binding, callbackUrl: new URL(`https://elevate.example/auth/step-up/callback?code=c&state=${state}`) };
    await completeStepUp(deps, callback);
    expect(await codeOf(completeStepUp(deps, callback))).toBe('step_up_refused');
    expect(provider.redeemed).toHaveLength(1);
    expect(world.issuer.exchanges).toHaveLength(1);
    expect(await refusalReasons(world)).toEqual(['replayed']);
    expect((await world.store.getGrantByRequest(request.id))?.status).toBe('active');
  });

  it('refuses a callback without the browser binding of the sign-in it names (login CSRF)', async () => {
    const { deps, url, world, request, provider } = await verifyingRequest();
    const began = await beginStepUp(deps, ticketOf(url));
    const state = began.authorizationUrl.searchParams.get('state')!;
    const callbackUrl = new URL(`https://elevate.example/auth/step-up/callback?code=attacker&state=${state}`);
    expect(await codeOf(completeStepUp(deps, { state, binding: null, callbackUrl }))).toBe('step_up_refused');
    expect(await codeOf(completeStepUp(deps, { state, binding: 'another-browsers-cookie', callbackUrl }))).toBe('step_up_refused');
    expect(provider.redeemed).toHaveLength(0);
    expect(await refusalReasons(world)).toEqual(['browser_mismatch', 'browser_mismatch']);
    expect(await world.store.getGrantByRequest(request.id)).toBeNull();
  });

  it('refuses a sign-in as another person', async () => {
    const { deps, url, world, request, provider } = await verifyingRequest();
    provider.next = (at) => ({ subject: 'mallory', acr: null, amr: ['otp'], authTime: at });
    await expect(signInThroughLink(deps, url)).rejects.toThrow(/someone other than/);
    expect(await refusalReasons(world)).toEqual(['another_person']);
    expect(await world.store.getGrantByRequest(request.id)).toBeNull();
  });

  it('refuses a stale sign-in and methods the scope does not accept', async () => {
    const stale = await verifyingRequest();
    stale.provider.next = (at) => ({ subject: 'alice', acr: null, amr: ['otp'], authTime: new Date(at.getTime() - 3600_000) });
    await expect(signInThroughLink(stale.deps, stale.url)).rejects.toThrow(/older than 5m/);
    expect(await refusalReasons(stale.world)).toEqual(['not_accepted']);
    expect(await stale.world.store.getGrantByRequest(stale.request.id)).toBeNull();

    const weak = await verifyingRequest();
    weak.provider.next = (at) => ({ subject: 'alice', acr: 'urn:example:loa:1', amr: ['pwd'], authTime: at });
    await expect(signInThroughLink(weak.deps, weak.url)).rejects.toThrow(/accepted method/);
    expect(await weak.world.store.getGrantByRequest(weak.request.id)).toBeNull();
  });

  it('refuses a provider answer that does not verify, saying nothing of it', async () => {
    const { deps, url, world, provider } = await verifyingRequest();
    provider.next = new Error('JWT signature verification failed: secret details');
    const error = (await signInThroughLink(deps, url).then(() => new Error("no error"), (e: unknown) => e as Error));
    expect(error.message).toBe('The sign-in could not be verified. Follow a new link to try again.');
    expect(await refusalReasons(world)).toEqual(['not_verified']);
  });

  it('refuses a link for a request that no longer waits (cancelled meanwhile)', async () => {
    const { deps, url, world, request } = await verifyingRequest();
    const { cancelRequest } = await import('../../../src/app/cancel-request.ts');
    await cancelRequest(world, request.id, slackUser('alice'));
    await expect(beginStepUp(deps, ticketOf(url))).rejects.toThrow(/not waiting for your verification/);
  });

  it('keeps only the hash of a link in the store', async () => {
    const { url, world } = await verifyingRequest();
    const ticket = ticketOf(url);
    const { hashSecret } = await import('../../../src/app/step-up/secrets.ts');
    expect(await world.store.getStepUpTicket(hashSecret(ticket))).not.toBeNull();
    expect(JSON.stringify(await world.store.listAudit(0, 200))).not.toContain(ticket);
  });
});

describe('verify <request id>: a new link', () => {
  async function verifyingRequest() {
    const setup = await mfaWorld();
    await bobVerified(setup.world);
    const { request } = await submitRequest(setup.deps, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-9', source: 'slack' });
    await decideRequest(setup.deps, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    return { ...setup, requestId: request.id };
  }

  it('sends the requester a second working link, privately', async () => {
    const { world, deps, requestId } = await verifyingRequest();
    // Alice is linked on Slack and Teams: the link goes to both, privately.
    expect(await resendStepUpLink(deps, requestId, slackUser('alice'))).toEqual({ delivered: 2 });
    const links = linksTo(world, 'U-ALICE');
    expect(links).toHaveLength(2);
    const second = links[1]!.notice as { link: { url: string } };
    expect(second.link.url).not.toBe((links[0]!.notice as { link: { url: string } }).link.url);
    expect((await signInThroughLink(deps, second.link.url)).outcome).toBe('issued');
  });

  it('refuses an approver (a link never records an approval nobody clicked) and tells a stranger the request does not exist', async () => {
    const { world, deps, requestId } = await verifyingRequest();
    await world.store.transaction(async (tx) => {
      await tx.putPrincipal(aPrincipal({ id: 'mallory', displayName: 'Mallory' }));
      await tx.putIdentity({ principalId: 'mallory', platform: 'slack', userId: 'U-MALLORY' });
    });
    expect(await codeOf(resendStepUpLink(deps, requestId, slackUser('bob')))).toBe('forbidden');
    expect(await codeOf(resendStepUpLink(deps, requestId, slackUser('mallory')))).toBe('not_found');
    expect(linksTo(world, 'U-BOB')).toHaveLength(0);
  });

  it('refuses a request that does not wait for a verification', async () => {
    const { world, deps } = await mfaWorld();
    const { request } = await submitRequest(deps, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-9', source: 'slack' });
    expect(await codeOf(resendStepUpLink(deps, request.id, slackUser('alice')))).toBe('step_up_refused');
    expect(linksTo(world, 'U-ALICE')).toHaveLength(0);
  });
});
