import { describe, expect, it } from 'vitest';
import { AuditChainVerifier, GENESIS_HASH, type AuditRecord, type AuditVerification } from '../../../src/domain/audit.ts';
import type { StoreReader } from '../../../src/ports/store.ts';
import { at } from '../../support/builders.ts';
import { write, type ContractContext } from './context.ts';

/** Walks the whole trail page by page, as the audit verify command does. */
export async function verifyTrail(reader: StoreReader, pageSize = 7): Promise<AuditVerification> {
  const verifier = new AuditChainVerifier();
  let after = 0;
  for (;;) {
    const page = await reader.listAudit(after, pageSize);
    for (const record of page) verifier.push(record);
    if (page.length < pageSize) break;
    after = page[page.length - 1]!.seq;
  }
  return verifier.finish(await reader.getAuditHead());
}

/** The tamper-evident audit trail. */
export function auditContract(ctx: ContractContext): void {
  describe('audit trail', () => {
    it('starts empty, with no head', async () => {
      expect(await ctx.store.getAuditHead()).toBeNull();
      expect(await ctx.store.listAudit(0, 100)).toEqual([]);
      expect(await verifyTrail(ctx.store)).toEqual({ ok: true, records: 0, headSeq: 0 });
    });

    it('chains the first record to the genesis hash and stamps it with the store’s clock', async () => {
      ctx.clock.set(at(42));
      const record = await write(ctx.store, (tx) =>
        tx.appendAudit({ type: 'request.created', actor: 'alice', requestId: 'req-1', data: { scope: 'prod-db-admin', durationSec: 3600 } }),
      );
      expect(record).toMatchObject({
        seq: 1,
        at: at(42),
        type: 'request.created',
        actor: 'alice',
        requestId: 'req-1',
        grantId: null,
        data: { scope: 'prod-db-admin', durationSec: 3600 },
        prevHash: GENESIS_HASH,
      });
      expect(record.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(await ctx.store.getAuditHead()).toEqual({ seq: 1, hash: record.hash });
    });

    it('links each record to the one before and keeps the head on the last', async () => {
      const appended: AuditRecord[] = [];
      for (let i = 0; i < 5; i += 1) {
        ctx.clock.set(at(i));
        appended.push(await write(ctx.store, (tx) => tx.appendAudit({ type: 'grant.revoked', actor: 'system', grantId: `g-${i}` })));
      }
      expect(appended.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
      for (let i = 1; i < appended.length; i += 1) expect(appended[i]!.prevHash).toBe(appended[i - 1]!.hash);
      expect(await ctx.store.getAuditHead()).toEqual({ seq: 5, hash: appended[4]!.hash });
      expect(await ctx.store.listAudit(0, 100)).toEqual(appended);
    });

    it('appends a batch in order under one head, chained exactly as one-by-one appends are', async () => {
      const first = await write(ctx.store, (tx) => tx.appendAudit({ type: 'request.created', actor: 'alice' }));
      const batch = await write(ctx.store, (tx) =>
        tx.appendAudits([
          { type: 'grant.revoked', actor: 'system', grantId: 'g-1', data: { lagMs: 5 } },
          { type: 'grant.revoked', actor: 'system', grantId: 'g-2', data: { lagMs: 7 } },
        ]),
      );
      expect(batch.map((r) => r.seq)).toEqual([2, 3]);
      expect(batch[0]!.prevHash).toBe(first.hash);
      expect(batch[1]!.prevHash).toBe(batch[0]!.hash);
      expect(await ctx.store.getAuditHead()).toEqual({ seq: 3, hash: batch[1]!.hash });
      expect(await write(ctx.store, (tx) => tx.appendAudits([]))).toEqual([]);
      expect(await ctx.store.listAudit(0, 10)).toEqual([first, ...batch]);
    });

    it('returns records after a sequence number, in order, a page at a time', async () => {
      await write(ctx.store, async (tx) => {
        for (let i = 0; i < 10; i += 1) await tx.appendAudit({ type: 'message.posted', actor: 'system' });
      });
      expect((await ctx.store.listAudit(0, 3)).map((r) => r.seq)).toEqual([1, 2, 3]);
      expect((await ctx.store.listAudit(3, 3)).map((r) => r.seq)).toEqual([4, 5, 6]);
      expect((await ctx.store.listAudit(8, 5)).map((r) => r.seq)).toEqual([9, 10]);
      expect(await ctx.store.listAudit(10, 5)).toEqual([]);
    });

    it('stores event data exactly, so the stored record still matches its hash', async () => {
      const data = {
        zeta: 'last key first',
        nested: { list: [3, 1.5, -2, null, true, 'ünïcødé ✓'], empty: {}, deep: { b: 2, a: 1 } },
        quote: 'He said "no" \\ then left',
        big: 2 ** 53 - 1,
        small: 1e-7,
      };
      await write(ctx.store, (tx) => tx.appendAudit({ type: 'admin.config_applied', actor: 'config:elevate.yaml', data }));
      const [stored] = await ctx.store.listAudit(0, 1);
      expect(stored!.data).toEqual(data);
      expect(await verifyTrail(ctx.store)).toMatchObject({ ok: true, records: 1 });
    });

    it('passes verification after many appends across transactions', async () => {
      for (let t = 0; t < 4; t += 1) {
        await write(ctx.store, async (tx) => {
          for (let i = 0; i < 6; i += 1) await tx.appendAudit({ type: 'review.recorded', actor: `approver-${i}`, data: { t, i } });
        });
      }
      expect(await verifyTrail(ctx.store)).toEqual({ ok: true, records: 24, headSeq: 24 });
    });
  });
}
