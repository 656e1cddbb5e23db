import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/adapters/store/memory/memory-store.ts';
import { verifyAuditTrail } from '../../../src/app/verify-audit-trail.ts';
import type { StoreReader } from '../../../src/ports/store.ts';
import { T0 } from '../../support/builders.ts';
import { FakeClock } from '../../support/fake-clock.ts';

async function trailOf(length: number): Promise<MemoryStore> {
  const store = new MemoryStore(new FakeClock(T0));
  for (let i = 0; i < length; i += 1) await store.transaction((tx) => tx.appendAudit({ type: 'identity.linked', actor: `p-${i}`, data: {} }));
  return store;
}

/** The store as a check sees it when its first look at the head comes before the newest append. */
function withHeadsSeen(store: MemoryStore, heads: Array<{ seq: number; hash: string } | null>): StoreReader {
  let calls = 0;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'getAuditHead') return async () => (calls < heads.length ? heads[calls++]! : target.getAuditHead());
      return Reflect.get(target, property, receiver) as unknown;
    },
  }) as StoreReader;
}

describe('verifying the audit trail of a running service', () => {
  it('judges the trail up to the head it first saw when records are appended meanwhile', async () => {
    const store = await trailOf(3);
    const [second] = (await store.listAudit(1, 1));
    expect(await verifyAuditTrail(withHeadsSeen(store, [{ seq: 2, hash: second!.hash }]))).toEqual({ ok: true, records: 2, headSeq: 2 });
  });

  it('still reports records past a head that no append accounts for', async () => {
    const store = await trailOf(3);
    const [second] = (await store.listAudit(1, 1));
    const stale = { seq: 2, hash: second!.hash };
    expect(await verifyAuditTrail(withHeadsSeen(store, [stale, stale]))).toMatchObject({ ok: false });
  });
});
