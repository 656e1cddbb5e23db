import { describe, expect, it } from 'vitest';
import type { Grant } from '../../../src/domain/grant.ts';
import { aGrant, aRequest, aScope, at } from '../../support/builders.ts';
import { seedRequests, write, type ContractContext } from './context.ts';

/** The figures the metrics gauges read at each scrape: live grants per scope, revocations owed and overdue. */
export function operationalCountsContract(ctx: ContractContext): void {
  describe('operationalCounts', () => {
    const now = at(10_000);
    const overdueBefore = at(10_000 - 300);

    async function seed(...grants: { grant: Grant; scope: string }[]): Promise<void> {
      await seedRequests(ctx.store, ...grants.map(({ grant, scope }) => aRequest({ id: grant.requestId, scopeName: scope, status: 'approved' })));
    }

    it('counts nothing in an empty store', async () => {
      expect(await ctx.store.operationalCounts({ now, overdueBefore })).toEqual({ activeGrants: [], revocationsPending: 0, revocationsOverdue: 0 });
    });

    it('counts live grants per scope, and owed revocations with the overdue among them', async () => {
      await write(ctx.store, async (tx) => {
        await tx.putScope(aScope({ name: 'deploy' }));
      });
      const grants = [
        // Live: active and ending after now.
        { grant: aGrant({ status: 'active', endsAt: at(10_001) }), scope: 'prod-db-admin' },
        { grant: aGrant({ status: 'active', endsAt: at(20_000) }), scope: 'prod-db-admin' },
        { grant: aGrant({ status: 'active', endsAt: at(12_000) }), scope: 'deploy' },
        // Owed: active past its end (not claimed yet), and revoking (claimed, or ended early).
        { grant: aGrant({ status: 'active', endsAt: now }), scope: 'deploy' },
        { grant: aGrant({ status: 'revoking', endsAt: at(30_000), endReason: 'ended_by_requester' }), scope: 'deploy' },
        // Overdue: owed, with an end at or before the overdue line.
        { grant: aGrant({ status: 'revoking', endsAt: overdueBefore, endReason: 'expired' }), scope: 'prod-db-admin' },
        { grant: aGrant({ status: 'active', endsAt: at(100) }), scope: 'prod-db-admin' },
        // Neither: done, failed or not issued yet.
        { grant: aGrant({ status: 'revoked', endsAt: at(100), tokenSealed: null, revokedAt: at(101), revocationLagMs: 1000 }), scope: 'prod-db-admin' },
        { grant: aGrant({ status: 'issue_failed', endsAt: at(20_000), tokenSealed: null }), scope: 'deploy' },
        { grant: aGrant({ status: 'issuing', endsAt: at(20_000), tokenSealed: null }), scope: 'deploy' },
      ];
      await seed(...grants);
      await write(ctx.store, async (tx) => {
        for (const { grant } of grants) await tx.insertGrant(grant);
      });
      expect(await ctx.store.operationalCounts({ now, overdueBefore })).toEqual({
        activeGrants: [
          { scopeName: 'deploy', count: 1 },
          { scopeName: 'prod-db-admin', count: 2 },
        ],
        revocationsPending: 4,
        revocationsOverdue: 2,
      });
      // Read inside a transaction too (the same reader), and later: the live grants have ended by then.
      expect(await write(ctx.store, (tx) => tx.operationalCounts({ now: at(40_000), overdueBefore: at(40_000 - 300) }))).toEqual({
        activeGrants: [],
        revocationsPending: 7,
        revocationsOverdue: 7,
      });
    });
  });
}
