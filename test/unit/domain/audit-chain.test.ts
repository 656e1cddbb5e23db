import { describe, expect, it } from 'vitest';
import { AuditChainVerifier, canonicalJson, chainAuditRecord, GENESIS_HASH, hashAuditRecord, type AuditRecord } from '../../../src/domain/audit.ts';

function chain(length: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let i = 0; i < length; i += 1) {
    const head = records.at(-1) ?? null;
    records.push(chainAuditRecord(head, { type: 'request.created', actor: `user-${i}`, requestId: `r-${i}`, data: { n: i } }, new Date(1_700_000_000_000 + i)));
  }
  return records;
}

function verify(records: AuditRecord[], head: { seq: number; hash: string } | null) {
  const verifier = new AuditChainVerifier();
  for (const record of records) if (!verifier.push(record)) break;
  return verifier.finish(head);
}

describe('audit chain', () => {
  it('links each record to the previous hash, starting from the genesis hash', () => {
    const records = chain(3);
    expect(records[0]!.prevHash).toBe(GENESIS_HASH);
    expect(records[1]!.prevHash).toBe(records[0]!.hash);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(verify(records, records[2]!)).toEqual({ ok: true, records: 3, headSeq: 3 });
  });

  it('hashes independently of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
  });

  it('detects an edited record', () => {
    const records = chain(4);
    records[1] = { ...records[1]!, data: { n: 99 } };
    expect(verify(records, records[3]!)).toMatchObject({ ok: false, brokenAtSeq: 2, problem: expect.stringContaining('altered') });
  });

  it('detects an edited record whose hash was recomputed, at the next link', () => {
    const records = chain(4);
    const forged = { ...records[1]!, actor: 'mallory' };
    records[1] = { ...forged, hash: hashAuditRecord(forged) };
    expect(verify(records, records[3]!)).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });

  it('detects a deleted record in the middle', () => {
    const records = chain(4);
    records.splice(2, 1);
    expect(verify(records, records.at(-1)!)).toMatchObject({ ok: false, brokenAtSeq: 3, problem: expect.stringContaining('missing') });
  });

  it('detects deleted newest records against the recorded head', () => {
    const records = chain(4);
    const head = records[3]!;
    expect(verify(records.slice(0, 2), head)).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });
});

describe('exported records', () => {
  it('carry everything an outside verifier needs to recompute each hash', async () => {
    const { auditRecordJson, canonicalJson: canonical } = await import('../../../src/domain/audit.ts');
    const { createHash } = await import('node:crypto');
    for (const record of chain(3)) {
      const line = JSON.parse(JSON.stringify(auditRecordJson(record))) as Record<string, unknown>;
      const { hash, ...fields } = line;
      const recomputed = createHash('sha256').update(String(fields.prevHash)).update('\n').update(canonical(fields)).digest('hex');
      expect(recomputed).toBe(hash);
    }
  });
});
