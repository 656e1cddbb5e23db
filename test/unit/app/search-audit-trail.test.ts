import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/adapters/store/memory/memory-store.ts';
import { exportAuditSearch, searchAuditTrail } from '../../../src/app/search-audit-trail.ts';
import { isElevateError } from '../../../src/domain/errors.ts';
import { aPrincipal } from '../../support/builders.ts';
import { FakeClock } from '../../support/fake-clock.ts';

async function trailOf(records: number): Promise<MemoryStore> {
  const store = new MemoryStore(new FakeClock());
  await store.transaction(async (tx) => {
    await tx.putPrincipal(aPrincipal({ id: 'grace', isAuditor: true }));
    await tx.putPrincipal(aPrincipal({ id: 'alice' }));
    for (let i = 1; i <= records; i += 1) await tx.appendAudit({ type: i % 2 === 0 ? 'request.reminded' : 'request.escalated', actor: 'system', data: { i } });
  });
  return store;
}
const grace = { principalId: 'grace', via: 'web' as const };

describe('searching the audit trail', () => {
  it('pages newest first and says where the next page starts, or that there is none', async () => {
    const store = await trailOf(5);
    const first = await searchAuditTrail({ store }, grace, { search: {}, pageSize: 2 });
    expect(first.records.map((r) => r.seq)).toEqual([5, 4]);
    expect(first.olderBeforeSeq).toBe(4);
    const last = await searchAuditTrail({ store }, grace, { search: { beforeSeq: 2 }, pageSize: 2 });
    expect(last).toMatchObject({ records: [{ seq: 1 }], olderBeforeSeq: null });
    const exact = await searchAuditTrail({ store }, grace, { search: { beforeSeq: 3 }, pageSize: 2 });
    expect(exact.olderBeforeSeq).toBeNull();
  });

  it('exports every match oldest first across pages, and says when the limit cut it short', async () => {
    const store = await trailOf(9);
    const all = await exportAuditSearch({ store }, grace, { search: { type: 'request.escalated' }, pageSize: 2 });
    expect(all.truncated).toBe(false);
    expect(all.lines.map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([1, 3, 5, 7, 9]);
    const cut = await exportAuditSearch({ store }, grace, { search: { type: 'request.escalated' }, pageSize: 2, limit: 3 });
    expect(cut).toMatchObject({ truncated: true });
    expect(cut.lines).toEqual(all.lines.slice(0, 3));
    const exactly = await exportAuditSearch({ store }, grace, { search: { type: 'request.escalated' }, pageSize: 2, limit: 5 });
    expect(exactly).toEqual({ lines: all.lines, truncated: false });
  });

  it('refuses anyone who is neither admin nor auditor', async () => {
    const store = await trailOf(1);
    for (const attempt of [searchAuditTrail({ store }, { principalId: 'alice' }, { search: {}, pageSize: 10 }), exportAuditSearch({ store }, { principalId: 'alice' }, { search: {} })]) {
      expect(isElevateError(await attempt.catch((error: unknown) => error), 'forbidden')).toBe(true);
    }
  });
});
