import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/adapters/store/open-store.ts';
import { RECONCILE_AFTER_SEC } from '../../../src/app/reconcile-approved-requests.ts';
import { requestElevation } from '../../../src/app/request-elevation.ts';
import { reviewRequest } from '../../../src/app/review-request.ts';
import { DEFAULT_SWEEP_OPTIONS, sweepOnce } from '../../../src/app/sweep.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import type { Store } from '../../../src/ports/store.ts';
import { coreHarness, slackUser, type CoreHarness } from '../../support/core-harness.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { T0 } from '../../support/builders.ts';
import { createThrowawayDatabase, TEST_DATABASE_URL, type ThrowawayDatabase } from '../../support/postgres.ts';
import { RecordingNotifier } from '../../support/recording-notifier.ts';

const INSTANCES = 4;

/**
 * Approvals left without a grant (the approving process died right after the deciding review
 * committed), reconciled by several instances sweeping one PostgreSQL database at the same moment,
 * each store with its own connection pool: every approval gets exactly one exchange.
 */
describe.skipIf(!TEST_DATABASE_URL)('reconciling forgotten approvals from several instances on PostgreSQL', () => {
  let database: ThrowawayDatabase;
  const stores: Store[] = [];
  let h: CoreHarness;
  const clock = new FakeClock(T0);

  beforeEach(async () => {
    database = await createThrowawayDatabase(TEST_DATABASE_URL!);
    for (let i = 0; i < INSTANCES; i += 1) {
      stores.push((await openStore({ databaseUrl: database.url, dataDir: '/nonexistent', logger: silentLogger(), clock })).store);
    }
    h = await coreHarness({ store: stores[0]! });
    h.clock = clock;
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await database?.drop();
  });

  it('issues each forgotten approval once however many instances sweep at once', async () => {
    const approved = [];
    for (let i = 0; i < 5; i += 1) {
      const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: `INC-${i}`, source: 'slack' });
      await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
      approved.push(request.id); // …and the process dies before issueGrant.
    }
    clock.advance(RECONCILE_AFTER_SEC);
    const notifiers = stores.map(() => new RecordingNotifier());
    await Promise.all(stores.map((store, i) => sweepOnce({ ...h, store, notifier: notifiers[i]! }, DEFAULT_SWEEP_OPTIONS)));

    expect(h.issuer.exchanges).toHaveLength(approved.length);
    expect(new Set(h.issuer.exchanges.map((e) => e.grantId)).size).toBe(approved.length);
    expect(notifiers.flatMap((n) => n.notices).filter((n) => n.kind === 'grantIssued')).toHaveLength(approved.length);
    for (const id of approved) expect(await stores[0]!.getGrantByRequest(id)).toMatchObject({ status: 'active' });
  });
});
