import { describe, expect, it } from 'vitest';
import { AuditChainVerifier, auditRecordJson, canonicalJson, canonicalRecordJson, chainAuditRecord, GENESIS_HASH, hashAuditRecord, type AuditRecord } from '../../../src/domain/audit.ts';

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

/** The hash `chain(1)` produced before `canonicalRecordJson` existed. */
const PINNED_FIRST_HASH = '655fa3e3d917c623514f07b7f9e9cf3f00f295d08b55c1466528d4b1921a288b';

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

  it('hashes exactly the canonical JSON of the exported record, so existing chains still verify', () => {
    const records = [
      ...chain(2),
      chainAuditRecord(null, { type: 'grant.revoked', actor: 'system', requestId: null, grantId: 'g-"1"\u2028', data: { reason: 'expired', lagMs: 12, nested: { z: [1, 'ü'], a: null } } }, new Date(0)),
      chainAuditRecord(null, { type: 'admin.config_applied', actor: 'config:elevate.yaml', data: {} }, new Date(1_800_000_000_123)),
    ];
    for (const record of records) {
      const { hash, ...unsigned } = record;
      expect(canonicalRecordJson(unsigned)).toBe(canonicalJson(auditRecordJson(unsigned)));
      expect(hashAuditRecord(unsigned)).toBe(hash);
    }
    // A hash computed before this form existed (the first record of `chain(1)`), pinned.
    expect(chain(1)[0]!.hash).toBe(PINNED_FIRST_HASH);
  });

  it('detects an edited record', () => {
    const records = chain(4);
    records[1] = { ...records[1]!, data: { n: 99 } };
    expect(verify(records, records[3]!)).toMatchObject({ ok: false, brokenAtSeq: 2, problem: expect.stringContaining('altered') });
  });

  it('detects an edited record whose hash was recomputed, at the next link', () => {
    const records = chain(4);
    const forged = { ...records[1]!, actor: 'mallory' };
    records[1] = { ...forged, hash: hashAuditRecord(forged)! };
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
