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
