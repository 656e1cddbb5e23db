import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenIssuer } from '../../../src/adapters/oauth/index.ts';
import { openStore } from '../../../src/adapters/store/open-store.ts';
import { issueGrant } from '../../../src/app/issue-grant.ts';
import { requestElevation } from '../../../src/app/request-elevation.ts';
import { reviewRequest } from '../../../src/app/review-request.ts';
import { DEFAULT_SWEEP_OPTIONS, sweepOnce, type SweepDeps } from '../../../src/app/sweep.ts';
import { systemClock } from '../../../src/domain/clock.ts';
import type { Grant } from '../../../src/domain/grant.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import type { Store } from '../../../src/ports/store.ts';
import type { TokenIssuer } from '../../../src/ports/token-issuer.ts';
import { oauthConfigFor } from '../../fakes/oauth/builders.ts';
import { serveDevAuthorizationServer, type ServedDevAuthorizationServer } from '../../fakes/oauth/dev-authorization-server-on-loopback.ts';
import { generateBotKeys } from '../../fakes/oauth/test-bot-keys.ts';
import { coreHarness, slackUser, type CoreHarness } from '../../support/core-harness.ts';
import { eventually } from '../../support/eventually.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { RecordingNotifier } from '../../support/recording-notifier.ts';

/**
 * The grant lifecycle end to end: the core on the PGlite store, exchanging and revoking at a
 * real oidc-provider development AS over HTTP. The core's clock is a fake that starts at real
 * time (the AS checks assertion times against its own clock) and is moved past grant ends.
 */
describe('grant lifecycle against a real authorization server', () => {
  let as: ServedDevAuthorizationServer;
  let issuer: TokenIssuer;
  let store: Store;
  let h: CoreHarness;
  const options = { ...DEFAULT_SWEEP_OPTIONS, batchSize: 10, concurrency: 4 };

  beforeAll(async () => {
    const { keys } = await generateBotKeys();
    as = await serveDevAuthorizationServer({ keys, clientId: 'elevate', auth: { method: 'private_key_jwt' } });
    issuer = await createTokenIssuer(oauthConfigFor({ issuer: as.issuer, publicUrl: as.origin, clientId: 'elevate', timeoutMs: 2_000 }), {
      logger: silentLogger(),
      clock: systemClock,
      keys,
    });
    const clock = new FakeClock(new Date());
    ({ store } = await openStore({ inMemory: true, dataDir: '/nonexistent', logger: silentLogger(), clock }));
    h = await coreHarness({ store, scope: { audience: 'https://db.internal.example' } });
    h.clock.set(clock.now());
    Object.assign(h, { issuer });
  });

  afterAll(async () => {
    await store?.close();
    await as?.close();
  });

  const sweep = (extra: Partial<SweepDeps> = {}) => sweepOnce({ ...h, issuer, notifier: new RecordingNotifier(), ...extra }, options);
  const tokenOf = (grant: Grant) => h.cipher.open(grant.tokenSealed!, grant.id);

  async function activeGrant(): Promise<Grant> {
    const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '30m', reason: 'INC-1', source: 'api' });
    await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    return (await issueGrant({ ...h, issuer }, request.id)).grant;
  }

  it('issues a token the AS introspects as the requester’s, and revokes it when the window ends', async () => {
    const grant = await activeGrant();
    const token = tokenOf(grant);
    expect(await issuer.introspect(token)).toMatchObject({ active: true, sub: 'alice', scope: 'db:admin', approvers: ['bob'], grant_id: grant.id });
    h.clock.set(grant.endsAt);
    expect((await sweep()).revoked).toBe(1);
    expect(await issuer.introspect(token)).toEqual({ active: false });
    expect(await store.getGrant(grant.id)).toMatchObject({ status: 'revoked', tokenSealed: null, revocationLagMs: 0 });
  });

  it('keeps every grant through an AS outage and revokes them all when it comes back', async () => {
    const grants = [await activeGrant(), await activeGrant(), await activeGrant()];
    const tokens = grants.map(tokenOf);
    h.clock.set(new Date(Math.max(...grants.map((g) => g.endsAt.getTime()))));
    as.setAvailable(false);
    try {
      const during = await sweep();
      expect(during).toMatchObject({ revoked: 0, revocationPending: 3 });
      for (const grant of grants) expect(await store.getGrant(grant.id)).toMatchObject({ status: 'revoking', revokeAttempts: 1, lastError: 'issuer_unavailable' });
      h.clock.advance(600);
      expect((await sweep()).revocationPending).toBe(3);
    } finally {
      as.setAvailable(true);
    }
    h.clock.advance(3600);
    expect((await sweep()).revoked).toBe(3);
    for (const token of tokens) expect(await issuer.introspect(token)).toEqual({ active: false });
    expect(await store.listGrants({ statuses: ['revoking', 'active'] })).toEqual([]);
  });

  it('is consistent after a crash between revocation at the AS and its recording', async () => {
    const grant = await activeGrant();
    const token = tokenOf(grant);
    h.clock.set(grant.endsAt);
    // The "crashed" instance revokes at the AS, then dies before recording anything.
    const dying: TokenIssuer = { ...issuer, exchange: issuer.exchange.bind(issuer), introspect: issuer.introspect.bind(issuer), revoke: async (t) => { await issuer.revoke(t); return new Promise<never>(() => undefined); } };
    void sweep({ issuer: dying });
    await eventually(async () => (await issuer.introspect(token)).active === false);
    expect((await store.getGrant(grant.id))?.status).toBe('revoking');
    // After restart, the lease runs out and a live instance finishes the job.
    h.clock.advance(options.leaseSec);
    expect((await sweep()).revoked).toBe(1);
    expect(await store.getGrant(grant.id)).toMatchObject({ status: 'revoked', tokenSealed: null });
    const events = (await store.listAudit(0, 100_000)).filter((r) => r.grantId === grant.id).map((r) => r.type);
    expect(events).toEqual(['grant.issuing', 'grant.issued', 'grant.revoking', 'grant.revoked']);
  });

  it('is consistent after a crash between the token exchange and its recording', async () => {
    const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '30m', reason: 'INC-2', source: 'api' });
    await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    let minted: string | null = null;
    const dying: TokenIssuer = {
      ...issuer,
      exchange: async (input) => {
        minted = (await issuer.exchange(input)).accessToken;
        return new Promise<never>(() => undefined);
      },
    };
    void issueGrant({ ...h, issuer: dying }, request.id);
    await eventually(async () => minted !== null);
    expect((await store.getGrantByRequest(request.id))?.status).toBe('issuing');

    h.clock.advance(options.issuingStaleSec);
    expect((await sweep()).interruptedIssues).toBe(1);
    expect(await store.getGrantByRequest(request.id)).toMatchObject({ status: 'issue_failed', lastError: 'interrupted' });
    // The request is never granted twice ...
    expect((await issueGrant({ ...h, issuer }, request.id)).created).toBe(false);
    // ... and the orphaned token cannot outlive the approved window: the AS capped it there.
    const orphan = await issuer.introspect(minted!);
    expect(orphan.active).toBe(true);
    expect(orphan.exp).toBeLessThanOrEqual(Math.ceil((await store.getGrantByRequest(request.id))!.endsAt.getTime() / 1000));
  });
});

