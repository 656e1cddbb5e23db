import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/adapters/store/memory/memory-store.ts';
import { exportAuditTrail } from '../../../src/app/export-audit-trail.ts';
import { FakeClock } from '../../support/fake-clock.ts';

async function collect(lines: AsyncGenerator<string>): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const line of lines) {
    expect(line.endsWith('\n')).toBe(true);
    out.push(JSON.parse(line) as Record<string, unknown>);
  }
  return out;
}

describe('exportAuditTrail', () => {
  it('writes every record once, in order, across pages, and resumes after a sequence number', async () => {
    const store = new MemoryStore(new FakeClock());
    await store.transaction(async (tx) => {
      for (let i = 0; i < 7; i += 1) await tx.appendAudit({ type: 'review.recorded', actor: `approver-${i}`, data: { i } });
    });
    const all = await collect(exportAuditTrail(store, { pageSize: 3 }));
    expect(all.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(all[0]).toMatchObject({ type: 'review.recorded', actor: 'approver-0', data: { i: 0 }, prevHash: '0'.repeat(64), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await collect(exportAuditTrail(store, { afterSeq: 5, pageSize: 3 }))).map((r) => r.seq)).toEqual([6, 7]);
  });
});
