import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/adapters/store/open-store.ts';
import { requestElevation } from '../../../src/app/request-elevation.ts';
import { reviewRequest, type ReviewRequestResult } from '../../../src/app/review-request.ts';
import { verifyAuditTrail } from '../../../src/app/verify-audit-trail.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import type { Store } from '../../../src/ports/store.ts';
import { coreHarness, slackUser, type CoreHarness } from '../../support/core-harness.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { aPrincipal, T0 } from '../../support/builders.ts';
import { createThrowawayDatabase, TEST_DATABASE_URL, type ThrowawayDatabase } from '../../support/postgres.ts';

const APPROVERS = Array.from({ length: 20 }, (_, i) => `approver-${String(i).padStart(2, '0')}`);

/**
 * The review use case against real PostgreSQL with its connection pool: twenty approvers click
 * at the same moment, each in its own transaction on its own connection.
 */
describe.skipIf(!TEST_DATABASE_URL)('review races on PostgreSQL', () => {
  let database: ThrowawayDatabase;
  let store: Store;
  let h: CoreHarness;

  // A database per test keeps each audit chain and each set of ids independent.
  beforeEach(async () => {
    database = await createThrowawayDatabase(TEST_DATABASE_URL!);
    ({ store } = await openStore({ databaseUrl: database.url, dataDir: '/nonexistent', logger: silentLogger(), clock: new FakeClock(T0) }));
    h = await coreHarness({ store, scope: { approvers: APPROVERS, approvalsRequired: 3 } });
    await store.transaction(async (tx) => {
      for (const id of APPROVERS) {
        await tx.putPrincipal(aPrincipal({ id, displayName: id, email: null }));
        await tx.putIdentity({ platform: 'slack', userId: `U-${id.toUpperCase()}`, principalId: id });
      }
    });
  });

  afterEach(async () => {
    await store?.close();
    await database?.drop();
  });

  async function pending() {
    const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-9', source: 'slack' });
    return request;
  }

  function outcomes(results: PromiseSettledResult<ReviewRequestResult>[]) {
    const kinds = results.map((r) => (r.status === 'fulfilled' ? r.value.outcome.kind : ((r.reason as { code?: string }).code ?? String(r.reason))));
    return kinds.reduce<Record<string, number>>((count, kind) => ({ ...count, [kind]: (count[kind] ?? 0) + 1 }), {});
  }

  it('20 approvers approving at once yield exactly 3 approvals and exactly one transition to approved', async () => {
    const request = await pending();
    const results = await Promise.allSettled(APPROVERS.map((id) => reviewRequest(h, { requestId: request.id, actor: slackUser(id), decision: 'approve' })));
    expect(outcomes(results)).toEqual({ recorded: 2, approved: 1, already_decided: 17 });
    expect(await store.listReviews(request.id)).toHaveLength(3);
    expect((await store.getRequest(request.id))?.status).toBe('approved');
    const audit = await store.listAudit(0, 10_000);
    expect(audit.filter((r) => r.type === 'request.approved')).toHaveLength(1);
    expect(audit.filter((r) => r.type === 'review.recorded')).toHaveLength(3);
    expect(await verifyAuditTrail(store)).toMatchObject({ ok: true });
  });

  it('approvals racing a denial end in exactly one decision, consistent with the recorded reviews', async () => {
    const request = await pending();
    const clicks = APPROVERS.map((id, i) => reviewRequest(h, { requestId: request.id, actor: slackUser(id), decision: i % 4 === 0 ? 'deny' : 'approve', comment: 'race' }));
    const results = await Promise.allSettled(clicks);
    const final = await store.getRequest(request.id);
    const reviews = await store.listReviews(request.id);
    const audit = await store.listAudit(0, 10_000);
    const decisions = audit.filter((r) => r.type === 'request.approved' || r.type === 'request.denied');
    expect(decisions).toHaveLength(1);
    if (final?.status === 'denied') {
      expect(reviews.at(-1)?.decision).toBe('deny');
      expect(reviews.filter((r) => r.decision === 'approve').length).toBeLessThan(3);
    } else {
      expect(final?.status).toBe('approved');
      expect(reviews.filter((r) => r.decision === 'approve')).toHaveLength(3);
      expect(reviews.every((r) => r.decision === 'approve')).toBe(true);
    }
    const accepted = results.filter((r) => r.status === 'fulfilled').length;
    expect(accepted).toBe(reviews.length);
    expect(await verifyAuditTrail(store)).toMatchObject({ ok: true });
  });
});
