import { describe, expect, it } from 'vitest';
import { aPrincipal, aRequest, aScope } from '../../support/builders.ts';
import { seedRequest, write, type ContractContext } from './context.ts';

/** All or nothing: what a use case writes in one transaction. */
export function transactionsContract(ctx: ContractContext): void {
  describe('transactions', () => {
    it('returns what the work returns and commits its writes', async () => {
      const result = await write(ctx.store, async (tx) => {
        await tx.putScope(aScope());
        return 'done';
      });
      expect(result).toBe('done');
      expect(await ctx.store.getScope('prod-db-admin')).not.toBeNull();
    });

    it('sees its own writes before committing', async () => {
      await write(ctx.store, async (tx) => {
        await tx.putPrincipal(aPrincipal({ id: 'alice' }));
        expect(await tx.getPrincipal('alice')).toEqual(aPrincipal({ id: 'alice' }));
        const request = aRequest();
        await tx.insertRequest(request);
        expect(await tx.listRequests({ requesterId: 'alice' })).toEqual([request]);
      });
    });

    it('rolls back every write and audit record when the work throws, and rethrows the same error', async () => {
      const request = await seedRequest(ctx.store);
      await write(ctx.store, (tx) => tx.appendAudit({ type: 'request.created', actor: 'alice', requestId: request.id }));
      const headBefore = await ctx.store.getAuditHead();
      const failure = new Error('the token exchange failed');

      const thrown = await write(ctx.store, async (tx) => {
        await tx.updateRequest(request.id, 'pending', { status: 'approved' });
        await tx.putScope(aScope({ name: 'written-then-undone' }));
        await tx.appendAudit({ type: 'request.approved', actor: 'bob', requestId: request.id });
        throw failure;
      }).catch((e: unknown) => e);

      expect(thrown).toBe(failure);
      expect(await ctx.store.getRequest(request.id)).toEqual(request);
      expect(await ctx.store.getScope('written-then-undone')).toBeNull();
      expect(await ctx.store.getAuditHead()).toEqual(headBefore);
      expect(await ctx.store.listAudit(0, 10)).toHaveLength(1);

      // The chain continues from the committed head, not from the rolled-back record.
      const next = await write(ctx.store, (tx) => tx.appendAudit({ type: 'request.expired', actor: 'system', requestId: request.id }));
      expect(next).toMatchObject({ seq: 2, prevHash: headBefore!.hash });
    });

    it('stays usable after a rolled-back transaction', async () => {
      await write(ctx.store, async () => {
        throw new Error('boom');
      }).catch(() => undefined);
      await write(ctx.store, (tx) => tx.putScope(aScope()));
      expect(await ctx.store.listScopes()).toHaveLength(1);
    });

    it('reports itself healthy when open', async () => {
      expect(await ctx.store.health()).toEqual({ ok: true });
    });
  });
}
