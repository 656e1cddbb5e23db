import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AesGcmTokenCipher } from '../../../src/adapters/crypto/aes-gcm-token-cipher.ts';
import { openStore } from '../../../src/adapters/store/open-store.ts';
import { DEFAULT_SWEEP_OPTIONS, sweepOnce, type SweepDeps } from '../../../src/app/sweep.ts';
import { verifyAuditTrail } from '../../../src/app/verify-audit-trail.ts';
import { newGrant } from '../../../src/domain/grant.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import type { Store } from '../../../src/ports/store.ts';
import { aPrincipal, aRequest, aScope, T0 } from '../../support/builders.ts';
import { sequentialIds } from '../../support/core-harness.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { FakeTokenIssuer } from '../../support/fake-token-issuer.ts';
import { createThrowawayDatabase, TEST_DATABASE_URL, type ThrowawayDatabase } from '../../support/postgres.ts';
import { RecordingNotifier } from '../../support/recording-notifier.ts';

const GRANTS = 1000;

/**
 * Two sweeper instances, each with its own connection pool, on one PostgreSQL database: every
 * expiring grant must be revoked at the AS exactly once, and none may be skipped.
 */
describe.skipIf(!TEST_DATABASE_URL)('two sweepers on one PostgreSQL', () => {
  let database: ThrowawayDatabase;
  const stores: Store[] = [];

  beforeEach(async () => {
    database = await createThrowawayDatabase(TEST_DATABASE_URL!);
  });

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await database.drop();
  });

  it(`revokes ${GRANTS} grants that end at the same instant exactly once each`, async () => {
    const clock = new FakeClock(T0);
    const open = async () => {
      const { store } = await openStore({ databaseUrl: database.url, dataDir: '/nonexistent', logger: silentLogger(), clock });
      stores.push(store);
      return store;
    };
    const first = await open();
    const second = await open();
    const issuer = new FakeTokenIssuer();
    const cipher = new AesGcmTokenCipher([Buffer.alloc(32, 9)]);

    await first.transaction(async (tx) => {
      await tx.putPrincipal(aPrincipal({ id: 'alice' }));
      await tx.putScope(aScope());
    });
    const tokens = new Map<string, string>();
    for (let start = 0; start < GRANTS; start += 250) {
      await first.transaction(async (tx) => {
        for (let i = start; i < Math.min(GRANTS, start + 250); i += 1) {
          const request = aRequest({ id: `r-${i}`, status: 'approved', decidedAt: T0 });
          await tx.insertRequest(request);
          const token = `at-${i}`;
          const grant = { ...newGrant({ id: `g-${i}`, requestId: request.id, startsAt: T0, durationSec: 60 }), status: 'active' as const };
          await tx.insertGrant({ ...grant, tokenSealed: cipher.seal(token, grant.id) });
          tokens.set(grant.id, token);
        }
      });
    }
    clock.advance(60);

    const options = { ...DEFAULT_SWEEP_OPTIONS, batchSize: 50, concurrency: 8 };
    const deps = (store: Store): SweepDeps => ({ store, clock, ids: sequentialIds(), logger: silentLogger(), issuer, cipher, notifier: new RecordingNotifier() });
    const [a, b] = await Promise.all([sweepOnce(deps(first), options), sweepOnce(deps(second), options)]);

    expect(a.revoked + b.revoked).toBe(GRANTS);
    expect(a.revoked).toBeGreaterThan(0);
    expect(b.revoked).toBeGreaterThan(0);
    const counts = new Map<string, number>();
    for (const token of issuer.revoked) counts.set(token, (counts.get(token) ?? 0) + 1);
    expect(counts.size).toBe(GRANTS);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(await first.listGrants({ statuses: ['active', 'revoking'] })).toEqual([]);
    const revoked = await first.listGrants({ statuses: ['revoked'] });
    expect(revoked).toHaveLength(GRANTS);
    expect(revoked.every((g) => g.tokenSealed === null && g.revocationLagMs === 0)).toBe(true);
    expect(await verifyAuditTrail(first)).toMatchObject({ ok: true, records: GRANTS * 2 });
  });

  it('reminds and escalates each of 100 undecided requests exactly once', async () => {
    const clock = new FakeClock(T0);
    const open = async () => {
      const { store } = await openStore({ databaseUrl: database.url, dataDir: '/nonexistent', logger: silentLogger(), clock });
      stores.push(store);
      return store;
    };
    const first = await open();
    const second = await open();
    await first.transaction(async (tx) => {
      await tx.putPrincipal(aPrincipal({ id: 'alice' }));
      await tx.putScope(aScope({ escalation: { afterSec: 1200, channels: [], approvers: ['carol'] } }));
      for (let i = 0; i < 100; i += 1) await tx.insertRequest(aRequest({ id: `p-${i}`, createdAt: T0 }));
    });
    clock.advance(1800);
    const deps = (store: Store, notifier: RecordingNotifier): SweepDeps => ({
      store,
      clock,
      ids: sequentialIds(),
      logger: silentLogger(),
      issuer: new FakeTokenIssuer(),
      cipher: new AesGcmTokenCipher([Buffer.alloc(32, 9)]),
      notifier,
    });
    const notifiers = [new RecordingNotifier(), new RecordingNotifier()];
    await Promise.all([sweepOnce(deps(first, notifiers[0]!)), sweepOnce(deps(second, notifiers[1]!))]);
    await sweepOnce(deps(second, notifiers[1]!));
    const told = notifiers.flatMap((n) => n.notices);
    for (const kind of ['requestReminded', 'requestEscalated'] as const) {
      const ids = told.filter((n) => n.kind === kind).map((n) => n.id);
      expect(ids).toHaveLength(100);
      expect(new Set(ids).size).toBe(100);
    }
    const audit = await first.listAudit(0, 1000);
    expect(audit.filter((r) => r.type === 'request.reminded')).toHaveLength(100);
    expect(audit.filter((r) => r.type === 'request.escalated')).toHaveLength(100);
  });
});
