import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PrismaStore } from '../../../src/adapters/store/prisma/prisma-store.ts';
import { hashAuditRecord } from '../../../src/domain/audit.ts';
import { at } from '../../support/builders.ts';
import { migratedPGlite, TRUNCATE_ALL, type MigratedPGlite } from '../../support/pglite.ts';
import { SettableClock } from '../../contract/store-contract/context.ts';
import { verifyTrail } from '../../contract/store-contract/audit.ts';

/**
 * Someone with write access to the database edits the trail behind Elevate's back. Verification
 * (every page of `listAudit` through the chain verifier, then the separately kept head) must
 * name the first record that no longer follows.
 */
describe('audit trail tampered with in the database', () => {
  let db: MigratedPGlite;
  let store: PrismaStore;

  beforeAll(async () => {
    db = await migratedPGlite();
  });
  afterAll(async () => {
    await db.pglite.close();
  });

  beforeEach(async () => {
    const clock = new SettableClock();
    store = new PrismaStore({ adapter: db.adapter, clock, expectedMigrations: db.expectedMigrations });
    for (let i = 1; i <= 5; i += 1) {
      clock.set(at(i));
      await store.transaction((tx) => tx.appendAudit({ type: 'request.approved', actor: `approver-${i}`, requestId: `req-${i}`, data: { approvals: i } }));
    }
    expect(await verifyTrail(store, 2)).toEqual({ ok: true, records: 5, headSeq: 5 });
  });
  afterEach(async () => {
    await store.close();
    await db.pglite.exec(TRUNCATE_ALL);
  });

  it('names a record whose content was edited', async () => {
    await db.pglite.exec(`UPDATE audit_records SET data = '{"approvals": 99}' WHERE seq = 3`);
    expect(await verifyTrail(store, 2)).toMatchObject({ ok: false, brokenAtSeq: 3, problem: expect.stringMatching(/altered/) });
  });

  it('names a record whose actor was changed', async () => {
    await db.pglite.exec(`UPDATE audit_records SET actor = 'someone-else' WHERE seq = 2`);
    expect(await verifyTrail(store, 2)).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });

  it('names the record after an edited one whose hash was recomputed to match', async () => {
    const [third] = await store.listAudit(2, 1);
    const forged = { ...third!, actor: 'mallory' };
    const forgedHash = hashAuditRecord(forged);
    await db.pglite.query(`UPDATE audit_records SET actor = $1, hash = $2 WHERE seq = 3`, ['mallory', forgedHash]);
    expect(await verifyTrail(store, 2)).toMatchObject({ ok: false, brokenAtSeq: 4, problem: expect.stringMatching(/does not point at the hash of record 3/) });
  });

  it('names the gap where a middle record was deleted', async () => {
    await db.pglite.exec('DELETE FROM audit_records WHERE seq = 3');
    expect(await verifyTrail(store, 2)).toMatchObject({ ok: false, brokenAtSeq: 3, problem: expect.stringMatching(/missing/) });
  });

  it('notices the newest record was deleted, from the head kept apart', async () => {
    await db.pglite.exec('DELETE FROM audit_records WHERE seq = 5');
    expect(await verifyTrail(store, 2)).toMatchObject({ ok: false, records: 4, brokenAtSeq: 5, problem: expect.stringMatching(/recorded head is record 5/) });
  });

  it('keeps chaining from the recorded head, so appending does not paper over a deletion', async () => {
    await db.pglite.exec('DELETE FROM audit_records WHERE seq = 5');
    const next = await store.transaction((tx) => tx.appendAudit({ type: 'grant.revoked', actor: 'system' }));
    expect(next.seq).toBe(6);
    expect(await verifyTrail(store, 2)).toMatchObject({ ok: false, brokenAtSeq: 5 });
  });
});
