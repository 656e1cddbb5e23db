import { describe, expect, it } from 'vitest';
import type { AuditEventInput } from '../../../src/domain/audit.ts';
import type { Grant } from '../../../src/domain/grant.ts';
import { aGrant, aRequest, aReview, aScope, at } from '../../support/builders.ts';
import { seedRequests, write, type ContractContext } from './context.ts';

/** The dashboard's reads: the audit trail searched by person, scope, event and time; the revocation lag per interval. */
export function auditSearchContract(ctx: ContractContext): void {
  describe('searchAudit', () => {
    /** Records 1…9 at at(10·seq): requests of alice (prod-db-admin) and dave (deploy), a review by bob, config changes. */
    async function seedTrail(): Promise<void> {
      await write(ctx.store, (tx) => tx.putScope(aScope({ name: 'deploy' })));
      await seedRequests(ctx.store, aRequest({ id: 'r-alice', requesterId: 'alice' }), aRequest({ id: 'r-dave', requesterId: 'dave', scopeName: 'deploy' }));
      const events: AuditEventInput[] = [
        { type: 'request.created', actor: 'alice', requestId: 'r-alice', data: { scope: 'prod-db-admin' } },
        { type: 'request.approved', actor: 'bob', requestId: 'r-alice' },
        { type: 'grant.issued', actor: 'system', requestId: 'r-alice', grantId: 'g-1' },
        { type: 'request.created', actor: 'dave', requestId: 'r-dave', data: { scope: 'deploy' } },
        { type: 'admin.principal_changed', actor: 'config:elevate.yaml', data: { action: 'change', key: 'alice', fields: [] } },
        { type: 'identity.linked', actor: 'config:elevate.yaml', data: { action: 'add', key: 'slack:U1', value: { platform: 'slack', userId: 'U1', principalId: 'dave' } } },
        { type: 'admin.scope_changed', actor: 'config:elevate.yaml', data: { action: 'change', key: 'deploy', fields: [] } },
        { type: 'admin.mapping_added', actor: 'erin', data: { action: 'add', key: 'slack:C1:prod-db-admin', value: { platform: 'slack', channelId: 'C1', scopeName: 'prod-db-admin' } } },
        { type: 'grant.revoked', actor: 'system', requestId: 'r-dave', grantId: 'g-2' },
      ];
      for (const [index, event] of events.entries()) {
        ctx.clock.set(at(10 * (index + 1)));
        await write(ctx.store, (tx) => tx.appendAudit(event));
      }
    }
    const seqs = (records: { seq: number }[]) => records.map((r) => r.seq);

    it('reads newest first or oldest first, cut at the limit and paged by seq', async () => {
      await seedTrail();
      expect(seqs(await ctx.store.searchAudit({}, 'newest_first', 3))).toEqual([9, 8, 7]);
      expect(seqs(await ctx.store.searchAudit({ beforeSeq: 7 }, 'newest_first', 3))).toEqual([6, 5, 4]);
      expect(seqs(await ctx.store.searchAudit({ afterSeq: 7 }, 'oldest_first', 5))).toEqual([8, 9]);
      // The records come back whole: the same as the trail's own reading, hashes included.
      expect(await ctx.store.searchAudit({}, 'oldest_first', 100)).toEqual(await ctx.store.listAudit(0, 100));
    });

    it('finds a person as actor, as requester of the request, and as the subject of a config change', async () => {
      await seedTrail();
      expect(seqs(await ctx.store.searchAudit({ person: 'alice' }, 'oldest_first', 100))).toEqual([1, 2, 3, 5]);
      expect(seqs(await ctx.store.searchAudit({ person: 'dave' }, 'oldest_first', 100))).toEqual([4, 6, 9]);
      expect(seqs(await ctx.store.searchAudit({ person: 'bob' }, 'oldest_first', 100))).toEqual([2]);
      expect(await ctx.store.searchAudit({ person: 'nobody' }, 'oldest_first', 100)).toEqual([]);
    });

    it('finds a scope through the request, a scope change and a channel mapping', async () => {
      await seedTrail();
      expect(seqs(await ctx.store.searchAudit({ scopeName: 'prod-db-admin' }, 'oldest_first', 100))).toEqual([1, 2, 3, 8]);
      expect(seqs(await ctx.store.searchAudit({ scopeName: 'deploy' }, 'oldest_first', 100))).toEqual([4, 7, 9]);
    });

    it('filters by event type and an inclusive time range, and combines every criterion', async () => {
      await seedTrail();
      expect(seqs(await ctx.store.searchAudit({ type: 'request.created' }, 'newest_first', 100))).toEqual([4, 1]);
      expect(seqs(await ctx.store.searchAudit({ from: at(30), to: at(50) }, 'oldest_first', 100))).toEqual([3, 4, 5]);
      expect(seqs(await ctx.store.searchAudit({ person: 'alice', scopeName: 'prod-db-admin', type: 'request.approved', from: at(20), to: at(20) }, 'oldest_first', 100))).toEqual([2]);
      expect(await ctx.store.searchAudit({ person: 'alice', scopeName: 'deploy' }, 'oldest_first', 100)).toEqual([]);
    });

    it('takes search text as data, never as SQL', async () => {
      await seedTrail();
      expect(await ctx.store.searchAudit({ person: "alice' OR '1'='1", scopeName: "x'); DROP TABLE audit_records; --" }, 'newest_first', 100)).toEqual([]);
      expect(await ctx.store.listAudit(0, 100)).toHaveLength(9);
    });
  });

  describe('reading a page of grants’ requests and reviews at once', () => {
    it('lists the requests with the given ids, and every review of the given requests', async () => {
      await seedRequests(ctx.store, aRequest({ id: 'r-a', createdAt: at(1) }), aRequest({ id: 'r-b', createdAt: at(2) }), aRequest({ id: 'r-c', createdAt: at(3) }));
      await write(ctx.store, async (tx) => {
        await tx.insertReview(aReview({ requestId: 'r-a', approverId: 'bob', createdAt: at(10) }));
        await tx.insertReview(aReview({ requestId: 'r-a', approverId: 'carol', createdAt: at(5) }));
        await tx.insertReview(aReview({ requestId: 'r-b', approverId: 'bob', decision: 'deny', comment: 'no', createdAt: at(7) }));
        await tx.insertReview(aReview({ requestId: 'r-c', approverId: 'bob', createdAt: at(8) }));
      });
      expect((await ctx.store.listRequests({ ids: ['r-c', 'r-a', 'r-none'] })).map((r) => r.id)).toEqual(['r-a', 'r-c']);
      expect(await ctx.store.listRequests({ ids: [] })).toEqual([]);
      expect((await ctx.store.listReviewsOf(['r-b', 'r-a'])).map((r) => [r.requestId, r.approverId, r.decision])).toEqual([
        ['r-a', 'carol', 'approve'],
        ['r-a', 'bob', 'approve'],
        ['r-b', 'bob', 'deny'],
      ]);
      expect(await ctx.store.listReviewsOf([])).toEqual([]);
    });
  });

  describe('revocationLagBuckets', () => {
    const from = at(0);
    const hour = 3600;

    it('gives nearest-rank p50 and p99 per interval of the grants that ended on schedule, in the window only', async () => {
      const grants: Grant[] = [];
      const revoked = (revokedAtSec: number, lagMs: number, overrides: Partial<Grant> = {}) =>
        aGrant({ status: 'revoked', tokenSealed: null, endReason: 'expired', revokedAt: at(revokedAtSec), endsAt: new Date(at(revokedAtSec).getTime() - lagMs), revocationLagMs: lagMs, ...overrides });
      // First hour: lags 100…1000 ms (ten grants) → p50 500, p99 1000.
      for (let i = 1; i <= 10; i += 1) grants.push(revoked(60 * i, 100 * i));
      // Third hour: one grant, 7 s late.
      grants.push(revoked(2 * hour + 5, 7000));
      // Not counted: ended early, still revoking, before the window, at its end (exclusive).
      grants.push(revoked(120, 99_000, { endReason: 'ended_by_requester' }));
      grants.push(aGrant({ status: 'revoking', endReason: 'expired', endsAt: at(100) }));
      grants.push(revoked(-1, 50_000));
      grants.push(revoked(24 * hour, 60_000));
      await seedRequests(ctx.store, ...grants.map((grant) => aRequest({ id: grant.requestId, status: 'approved' })));
      await write(ctx.store, async (tx) => {
        for (const grant of grants) await tx.insertGrant(grant);
      });
      expect(await ctx.store.revocationLagBuckets({ from, to: at(24 * hour), bucketSec: hour })).toEqual([
        { start: from, count: 10, p50Ms: 500, p99Ms: 1000 },
        { start: at(2 * hour), count: 1, p50Ms: 7000, p99Ms: 7000 },
      ]);
      expect(await ctx.store.revocationLagBuckets({ from: at(25 * hour), to: at(49 * hour), bucketSec: hour })).toEqual([]);
    });
  });
}
