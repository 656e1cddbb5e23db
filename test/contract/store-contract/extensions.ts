import { describe, expect, it } from 'vitest';
import { aGrant, aScope, at } from '../../support/builders.ts';
import { seedRequest, write, type ContractContext } from './context.ts';

/** Extensions of grants: the scope's rules, the request's extended grant, and the grant it replaces. */
export function extensionsContract(ctx: ContractContext): void {
  describe('extensions', () => {
    it("stores a scope's extend rules and a request's extended grant, and lists a grant's extensions", async () => {
      const extend = { allowed: true, maxTotalSec: 7200, approvalsRequired: 0 };
      await write(ctx.store, (tx) => tx.putScope(aScope({ name: 'extend-scope', extend })));
      expect((await ctx.store.getScope('extend-scope'))?.extend).toEqual(extend);
      const original = await seedRequest(ctx.store, { status: 'approved', decidedAt: at(10) });
      const grant = aGrant({ requestId: original.id });
      await write(ctx.store, (tx) => tx.insertGrant(grant));
      const extension = await seedRequest(ctx.store, { extendsGrantId: grant.id });
      await seedRequest(ctx.store, { extendsGrantId: 'g-other' });
      expect(await ctx.store.getRequest(extension.id)).toEqual(extension);
      expect((await ctx.store.listRequests({ extendsGrantId: grant.id })).map((r) => r.id)).toEqual([extension.id]);
      expect(await ctx.store.listRequests({ extendsGrantId: grant.id, statuses: ['approved'] })).toEqual([]);
      expect(await write(ctx.store, (tx) => tx.updateGrant(grant.id, 'active', { status: 'revoking', endReason: 'extended' }))).toBe(true);
      expect(await ctx.store.getGrant(grant.id)).toMatchObject({ status: 'revoking', endReason: 'extended' });
    });

  });
}

/** Break-glass: the scope's rules, the review columns, and the compare-and-set reminder and review. */
export function breakGlassContract(ctx: ContractContext): void {
  describe('break-glass', () => {
    it("stores a scope's break-glass rules and a break-glass request, and reads them back unchanged", async () => {
      const breakGlass = { allowed: true, maxDurationSec: 1800, broadcast: [{ platform: 'slack' as const, channelId: 'C0SEC' }, { platform: 'teams' as const, channelId: '19:sec' }], reviewWithinSec: 86_400 };
      await write(ctx.store, (tx) => tx.putScope(aScope({ name: 'bg-scope', breakGlass })));
      expect((await ctx.store.getScope('bg-scope'))?.breakGlass).toEqual(breakGlass);
      const request = await seedRequest(ctx.store, { status: 'auto_approved', decidedAt: at(0), breakGlass: { dueAt: at(3600), remindedAt: null, reviewedAt: null, reviewedBy: null, verdict: null, note: null } });
      expect(await ctx.store.getRequest(request.id)).toEqual(request);
    });

    it('lists unreviewed and overdue break-glass requests, and reminds and reviews each once', async () => {
      const review = { remindedAt: null, reviewedAt: null, reviewedBy: null, verdict: null, note: null };
      const overdue = await seedRequest(ctx.store, { status: 'auto_approved', breakGlass: { dueAt: at(100), ...review } });
      const later = await seedRequest(ctx.store, { status: 'auto_approved', breakGlass: { dueAt: at(1000), ...review } });
      await seedRequest(ctx.store, { status: 'pending' });
      expect((await ctx.store.listRequests({ breakGlassUnreviewed: true })).map((r) => r.id).sort()).toEqual([overdue.id, later.id].sort());
      expect((await ctx.store.listRequests({ breakGlassOverdueAt: at(100) })).map((r) => r.id)).toEqual([overdue.id]);

      expect(await write(ctx.store, (tx) => tx.markBreakGlassReminded(overdue.id, at(101)))).toBe(true);
      expect(await write(ctx.store, (tx) => tx.markBreakGlassReminded(overdue.id, at(102)))).toBe(false);
      expect(await ctx.store.listRequests({ breakGlassOverdueAt: at(200) })).toEqual([]);
      expect((await ctx.store.getRequest(overdue.id))?.breakGlass?.remindedAt).toEqual(at(101));

      const verdict = { reviewedAt: at(150), reviewedBy: 'bob', verdict: 'flagged' as const, note: 'no ticket' };
      expect(await write(ctx.store, (tx) => tx.recordBreakGlassReview(later.id, verdict))).toBe(true);
      expect(await write(ctx.store, (tx) => tx.recordBreakGlassReview(later.id, { ...verdict, reviewedBy: 'carol', verdict: 'acknowledged' }))).toBe(false);
      expect((await ctx.store.getRequest(later.id))?.breakGlass).toEqual({ dueAt: at(1000), remindedAt: null, ...verdict });
      expect(await write(ctx.store, (tx) => tx.markBreakGlassReminded(later.id, at(1001)))).toBe(false);
      expect((await ctx.store.listRequests({ breakGlassUnreviewed: true })).map((r) => r.id)).toEqual([overdue.id]);
    });
  });
}
