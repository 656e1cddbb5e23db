import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PrismaStore } from '../../../src/adapters/store/prisma/prisma-store.ts';
import { recordAuditKeyInUse } from '../../../src/app/record-audit-key-in-use.ts';
import { verifyAuditTrail } from '../../../src/app/verify-audit-trail.ts';
import { auditKeyFromSecret, hashAuditRecord, type AuditKey } from '../../../src/domain/audit.ts';
import { at } from '../../support/builders.ts';
import { migratedPGlite, TRUNCATE_ALL, type MigratedPGlite } from '../../support/pglite.ts';
import { SettableClock } from '../../contract/store-contract/context.ts';

const OLD_KEY = auditKeyFromSecret(Buffer.alloc(32, 1));
const NEW_KEY = auditKeyFromSecret(Buffer.alloc(32, 2));

/**
 * The attacker can write the database but does not hold ELEVATE_AUDIT_KEY: they edit a record,
 * then recompute every later link with plain SHA-256 (the only hash they can compute) and move
 * the head to match.
 */
describe('audit chain keyed with a key kept outside the database', () => {
  let db: MigratedPGlite;
  const clock = new SettableClock();
  const stores: PrismaStore[] = [];
  let tick = 0;

  const openWith = (auditKey: AuditKey | null) => {
    const store = new PrismaStore({ adapter: db.adapter, clock, auditKey, expectedMigrations: db.expectedMigrations });
    stores.push(store);
    return store;
  };
  const append = async (store: PrismaStore, count: number) => {
    for (let i = 0; i < count; i += 1) {
      clock.set(at(++tick));
      await store.transaction((tx) => tx.appendAudit({ type: 'request.approved', actor: `approver-${tick}`, requestId: `req-${tick}`, data: { approvals: tick } }));
    }
  };

  /** Edits record `seq`'s actor and recomputes every hash from there on, and the head, in plain SHA-256. */
  const forgeFrom = async (store: PrismaStore, seq: number) => {
    const records = await store.listAudit(0, 1000);
    let prevHash = records[seq - 2]?.hash ?? '0'.repeat(64);
    for (const record of records.slice(seq - 1)) {
      const forged = { ...record, actor: record.seq === seq ? 'mallory' : record.actor, prevHash, keyId: null };
      const hash = hashAuditRecord(forged)!;
      await db.pglite.query('UPDATE audit_records SET actor = $1, prev_hash = $2, key_id = NULL, hash = $3 WHERE seq = $4', [forged.actor, prevHash, hash, record.seq]);
      prevHash = hash;
    }
    await db.pglite.query('UPDATE audit_head SET hash = $1', [prevHash]);
  };

  beforeAll(async () => {
    db = await migratedPGlite();
  });
  afterAll(async () => {
    await db.pglite.close();
  });
  beforeEach(() => {
    clock.reset();
    tick = 0;
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await db.pglite.exec(TRUNCATE_ALL);
  });

  it('a chain of plain hashes is fooled by the forgery: why the key is needed', async () => {
    const store = openWith(null);
    await append(store, 5);
    await forgeFrom(store, 3);
    expect(await verifyAuditTrail(store)).toEqual({ ok: true, records: 5, headSeq: 5 });
  });

  it('a keyed chain names the forged record even though every plain hash and the head were recomputed', async () => {
    const store = openWith(NEW_KEY);
    await append(store, 5);
    expect(await verifyAuditTrail(store, [NEW_KEY])).toEqual({ ok: true, records: 5, headSeq: 5 });
    await forgeFrom(store, 3);
    expect(await verifyAuditTrail(store, [NEW_KEY])).toMatchObject({ ok: false, brokenAtSeq: 3, problem: expect.stringMatching(/hashed without a key although record 1/) });
  });

  it('refuses a trail rewritten entirely in plain hashes when a key is configured', async () => {
    const store = openWith(NEW_KEY);
    await append(store, 3);
    await forgeFrom(store, 1);
    expect(await verifyAuditTrail(store, [NEW_KEY])).toMatchObject({ ok: false, problem: expect.stringMatching(/none of the 3 record\(s\) is keyed/) });
  });

  it('names a keyed record re-hashed under a guessed key', async () => {
    const store = openWith(NEW_KEY);
    await append(store, 3);
    const [second] = await store.listAudit(1, 1);
    const guessed = hashAuditRecord({ ...second!, actor: 'mallory' }, [{ id: NEW_KEY.id, secret: Buffer.alloc(32, 9) }]);
    await db.pglite.query(`UPDATE audit_records SET actor = 'mallory', hash = $1 WHERE seq = 2`, [guessed]);
    expect(await verifyAuditTrail(store, [NEW_KEY])).toMatchObject({ ok: false, brokenAtSeq: 2, problem: expect.stringMatching(/altered/) });
  });

  it('still verifies records chained with plain SHA-256 before the key was set, and protects them from then on', async () => {
    await append(openWith(null), 3);
    const keyed = openWith(NEW_KEY);
    await append(keyed, 2);
    expect((await keyed.listAudit(0, 10)).map((r) => r.keyId)).toEqual([null, null, null, NEW_KEY.id, NEW_KEY.id]);
    expect(await verifyAuditTrail(keyed, [NEW_KEY])).toEqual({ ok: true, records: 5, headSeq: 5 });

    // Editing an old plain record means recomputing the first keyed record's link: impossible without the key.
    const [second] = await keyed.listAudit(1, 1);
    const forged = { ...second!, actor: 'mallory' };
    await db.pglite.query(`UPDATE audit_records SET actor = 'mallory', hash = $1 WHERE seq = 2`, [hashAuditRecord(forged)]);
    const [third] = await keyed.listAudit(2, 1);
    const relinked = { ...third!, prevHash: hashAuditRecord(forged)! };
    await db.pglite.query('UPDATE audit_records SET prev_hash = $1, hash = $2 WHERE seq = 3', [relinked.prevHash, hashAuditRecord(relinked)]);
    expect(await verifyAuditTrail(keyed, [NEW_KEY])).toMatchObject({ ok: false, brokenAtSeq: 4 });
  });

  it('verifies across a key rotation with the retired key still configured, and names the key when it is not', async () => {
    await append(openWith(OLD_KEY), 2);
    await append(openWith(NEW_KEY), 2);
    const store = stores[1]!;
    expect(await verifyAuditTrail(store, [NEW_KEY, OLD_KEY])).toEqual({ ok: true, records: 4, headSeq: 4 });
    expect(await verifyAuditTrail(store, [NEW_KEY])).toMatchObject({ ok: false, brokenAtSeq: 1, problem: expect.stringContaining(`audit key ${OLD_KEY.id}, which is not configured`) });
  });

  it('keys an old plain trail at the first start with a key, once, so it verifies at once', async () => {
    await append(openWith(null), 3);
    const keyed = openWith(NEW_KEY);
    expect(await verifyAuditTrail(keyed, [NEW_KEY])).toMatchObject({ ok: false });
    expect(await recordAuditKeyInUse(keyed, NEW_KEY.id)).toBe(true);
    expect(await recordAuditKeyInUse(keyed, NEW_KEY.id)).toBe(false);
    expect(await verifyAuditTrail(keyed, [NEW_KEY])).toEqual({ ok: true, records: 4, headSeq: 4 });
    expect((await keyed.listAudit(3, 1))[0]).toMatchObject({ type: 'audit.key_in_use', keyId: NEW_KEY.id, data: { keyId: NEW_KEY.id, previousKeyId: null } });
  });
});
