import { describe, expect, it } from 'vitest';
import { at } from '../../support/builders.ts';
import { write, type ContractContext } from './context.ts';

const STREAM = 'webhook';

/** The audit stream's cursor and lease: one sender at a time, a cursor that only the sender moves. */
export function auditStreamContract(ctx: ContractContext): void {
  describe('audit stream cursor', () => {
    const lease = (holder: string, nowSec: number, untilSec: number) =>
      write(ctx.store, (tx) => tx.leaseAuditStream({ name: STREAM, holder, now: at(nowSec), leaseUntil: at(untilSec) }));

    it('creates the stream at cursor 0 on its first lease', async () => {
      expect(await ctx.store.getAuditStream(STREAM)).toBeNull();
      const state = await lease('a', 0, 30);
      expect(state).toEqual({ name: STREAM, cursorSeq: 0, holder: 'a', leaseUntil: at(30), attempts: 0, nextAttemptAt: null, deliveredAt: null });
      expect(await ctx.store.getAuditStream(STREAM)).toEqual(state);
    });

    it('refuses the lease to a second holder while the first one’s is live, and renews it for the first', async () => {
      await lease('a', 0, 30);
      expect(await lease('b', 29, 59)).toBeNull();
      expect(await lease('a', 10, 40)).toMatchObject({ holder: 'a', leaseUntil: at(40) });
      expect(await lease('b', 39, 69)).toBeNull();
      expect(await ctx.store.getAuditStream(STREAM)).toMatchObject({ holder: 'a', leaseUntil: at(40) });
    });

    it('lets another holder take an expired lease, keeping the cursor and the backoff', async () => {
      await lease('a', 0, 30);
      await write(ctx.store, (tx) => tx.advanceAuditStream({ name: STREAM, holder: 'a', fromSeq: 0, toSeq: 5, deliveredAt: at(1) }));
      await write(ctx.store, (tx) => tx.deferAuditStream({ name: STREAM, holder: 'a', attempts: 2, nextAttemptAt: at(50) }));
      expect(await lease('b', 30, 60)).toEqual({ name: STREAM, cursorSeq: 5, holder: 'b', leaseUntil: at(60), attempts: 2, nextAttemptAt: at(50), deliveredAt: at(1) });
    });

    it('moves the cursor only for the holder and only from where it stands', async () => {
      await lease('a', 0, 30);
      const advance = (holder: string, fromSeq: number, toSeq: number) =>
        write(ctx.store, (tx) => tx.advanceAuditStream({ name: STREAM, holder, fromSeq, toSeq, deliveredAt: at(2) }));
      expect(await advance('b', 0, 3)).toBe(false);
      expect(await advance('a', 1, 3)).toBe(false);
      expect(await advance('a', 0, 3)).toBe(true);
      expect(await advance('a', 0, 3)).toBe(false);
      expect(await ctx.store.getAuditStream(STREAM)).toMatchObject({ cursorSeq: 3, deliveredAt: at(2) });
      await lease('b', 31, 61);
      expect(await advance('a', 3, 6)).toBe(false);
      expect(await advance('b', 3, 6)).toBe(true);
    });

    it('records failures for the holder only, and clears them when a batch is acknowledged', async () => {
      await lease('a', 0, 30);
      expect(await write(ctx.store, (tx) => tx.deferAuditStream({ name: STREAM, holder: 'b', attempts: 1, nextAttemptAt: at(5) }))).toBe(false);
      expect(await write(ctx.store, (tx) => tx.deferAuditStream({ name: STREAM, holder: 'a', attempts: 1, nextAttemptAt: at(5) }))).toBe(true);
      expect(await ctx.store.getAuditStream(STREAM)).toMatchObject({ attempts: 1, nextAttemptAt: at(5) });
      await write(ctx.store, (tx) => tx.advanceAuditStream({ name: STREAM, holder: 'a', fromSeq: 0, toSeq: 1, deliveredAt: at(6) }));
      expect(await ctx.store.getAuditStream(STREAM)).toMatchObject({ cursorSeq: 1, attempts: 0, nextAttemptAt: null });
    });

    it('frees the lease on release, for the holder only', async () => {
      await lease('a', 0, 30);
      expect(await write(ctx.store, (tx) => tx.releaseAuditStream({ name: STREAM, holder: 'b', now: at(1) }))).toBe(false);
      expect(await lease('b', 1, 31)).toBeNull();
      expect(await write(ctx.store, (tx) => tx.releaseAuditStream({ name: STREAM, holder: 'a', now: at(1) }))).toBe(true);
      expect(await lease('b', 1, 31)).toMatchObject({ holder: 'b', cursorSeq: 0 });
    });

    it('gives the lease to exactly one of several holders asking at once', async () => {
      const results = await Promise.all(['a', 'b', 'c', 'd'].map((holder) => lease(holder, 0, 30)));
      const winners = results.filter((r) => r !== null);
      expect(winners).toHaveLength(1);
      expect(await ctx.store.getAuditStream(STREAM)).toMatchObject({ holder: winners[0]!.holder });
    });

    it('reports how far the stream is behind and since when', async () => {
      expect(await ctx.store.getAuditStreamLag(STREAM)).toEqual({ cursorSeq: 0, headSeq: 0, behind: 0, oldestUnsentAt: null });
      for (let i = 0; i < 4; i += 1) {
        ctx.clock.set(at(100 + i));
        await write(ctx.store, (tx) => tx.appendAudit({ type: 'message.posted', actor: 'system' }));
      }
      expect(await ctx.store.getAuditStreamLag(STREAM)).toEqual({ cursorSeq: 0, headSeq: 4, behind: 4, oldestUnsentAt: at(100) });
      await lease('a', 0, 30);
      await write(ctx.store, (tx) => tx.advanceAuditStream({ name: STREAM, holder: 'a', fromSeq: 0, toSeq: 2, deliveredAt: at(104) }));
      expect(await ctx.store.getAuditStreamLag(STREAM)).toEqual({ cursorSeq: 2, headSeq: 4, behind: 2, oldestUnsentAt: at(102) });
      await write(ctx.store, (tx) => tx.advanceAuditStream({ name: STREAM, holder: 'a', fromSeq: 2, toSeq: 4, deliveredAt: at(105) }));
      expect(await ctx.store.getAuditStreamLag(STREAM)).toEqual({ cursorSeq: 4, headSeq: 4, behind: 0, oldestUnsentAt: null });
    });
  });
}
