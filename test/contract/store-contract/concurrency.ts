import { describe, expect, it } from 'vitest';
import { aReview, aScope } from '../../support/builders.ts';
import { verifyTrail } from './audit.ts';
import { seedRequest, write, type ContractContext } from './context.ts';

/** What must hold when many callers write at once: decisions happen once, the chain stays whole. */
export function concurrencyContract(ctx: ContractContext): void {
  describe('concurrency', () => {
    it('lets exactly one of 20 simultaneous approvers decide a request that needs one approval', async () => {
      const request = await seedRequest(ctx.store, { approvalsRequired: 1 });
      const approvers = Array.from({ length: 20 }, (_, i) => `approver-${i}`);

      // Each approver runs what the review use case runs: lock, read, check, write, audit.
      const outcomes = await Promise.all(
        approvers.map((approverId) =>
          write(ctx.store, async (tx) => {
            const locked = await tx.lockRequest(request.id);
            const reviews = await tx.listReviews(request.id);
            if (locked?.status !== 'pending' || reviews.length >= locked.approvalsRequired) return 'too late';
            if (!(await tx.insertReview(aReview({ requestId: request.id, approverId })))) return 'duplicate';
            await tx.appendAudit({ type: 'review.recorded', actor: approverId, requestId: request.id });
            const decided = await tx.updateRequest(request.id, 'pending', { status: 'approved', decidedAt: ctx.clock.now() });
            if (decided) await tx.appendAudit({ type: 'request.approved', actor: approverId, requestId: request.id });
            return decided ? 'decided' : 'lost the race';
          }),
        ),
      );

      expect(outcomes.filter((o) => o === 'decided')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'too late')).toHaveLength(19);
      expect(await ctx.store.listReviews(request.id)).toHaveLength(1);
      expect((await ctx.store.getRequest(request.id))?.status).toBe('approved');
      expect(await verifyTrail(ctx.store)).toEqual({ ok: true, records: 2, headSeq: 2 });
    });

    it('accepts one review per approver when the same approver clicks 10 times at once', async () => {
      const request = await seedRequest(ctx.store, { approvalsRequired: 2 });
      const inserted = await Promise.all(
        Array.from({ length: 10 }, () => write(ctx.store, (tx) => tx.insertReview(aReview({ requestId: request.id, approverId: 'bob' })))),
      );
      expect(inserted.filter(Boolean)).toHaveLength(1);
      expect(await ctx.store.listReviews(request.id)).toHaveLength(1);
    });

    it('runs transactions that take the configuration lock one after another, each seeing what the last committed', async () => {
      const order: string[] = [];
      let signalHeld!: () => void;
      const held = new Promise<void>((resolve) => (signalHeld = resolve));
      const first = write(ctx.store, async (tx) => {
        await tx.lockConfiguration();
        order.push('first holds the lock');
        signalHeld();
        // The second transaction has started by now; a broken lock would let it read before this
        // one commits, and the pause gives it every chance to.
        await new Promise((resolve) => setTimeout(resolve, 50));
        await tx.putScope(aScope({ name: 'added-under-lock' }));
        order.push('first commits');
      });
      await held;
      const second = write(ctx.store, async (tx) => {
        await tx.lockConfiguration();
        order.push('second holds the lock');
        return (await tx.getScope('added-under-lock'))?.name ?? null;
      });
      const [, seen] = await Promise.all([first, second]);
      expect(seen).toBe('added-under-lock');
      expect(order).toEqual(['first holds the lock', 'first commits', 'second holds the lock']);
    });

    it("runs transactions that take the same principal's lock one after another, and others beside them", async () => {
      const order: string[] = [];
      let signalHeld!: () => void;
      const held = new Promise<void>((resolve) => (signalHeld = resolve));
      const first = write(ctx.store, async (tx) => {
        await tx.lockPrincipal('alice');
        order.push('alice 1 holds');
        signalHeld();
        await new Promise((resolve) => setTimeout(resolve, 50));
        await tx.putScope(aScope({ name: 'added-under-alice' }));
        order.push('alice 1 commits');
      });
      await held;
      const second = write(ctx.store, async (tx) => {
        await tx.lockPrincipal('alice');
        order.push('alice 2 holds');
        return (await tx.getScope('added-under-alice'))?.name ?? null;
      });
      const [, seen] = await Promise.all([first, second]);
      expect(seen).toBe('added-under-alice');
      expect(order).toEqual(['alice 1 holds', 'alice 1 commits', 'alice 2 holds']);
      // A lock on a principal that has no row is still a lock, and another person's is separate.
      await write(ctx.store, (tx) => tx.lockPrincipal('nobody-by-this-name'));
    });

    it('keeps a gapless, valid chain when 50 transactions append at once', async () => {
      const records = await Promise.all(
        Array.from({ length: 50 }, (_, i) => write(ctx.store, (tx) => tx.appendAudit({ type: 'message.posted', actor: `writer-${i}` }))),
      );
      expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(await verifyTrail(ctx.store)).toEqual({ ok: true, records: 50, headSeq: 50 });
    });
  });
}
