import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/adapters/store/open-store.ts';
import { requestElevation } from '../../../src/app/request-elevation.ts';
import { EMPTY_POLICY } from '../../../src/domain/scope.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import type { Store } from '../../../src/ports/store.ts';
import { coreHarness, slackUser, type CoreHarness } from '../../support/core-harness.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { T0 } from '../../support/builders.ts';
import { createThrowawayDatabase, TEST_DATABASE_URL, type ThrowawayDatabase } from '../../support/postgres.ts';

const LIMIT = 3;
const AT_ONCE = 12;

/**
 * `max_requests_per_day` against real PostgreSQL: one person sends many requests at the same
 * moment, each in its own transaction on its own pooled connection. Counting and inserting under
 * the requester's lock lets exactly the limit through; without the lock, every transaction counts
 * the same committed rows and more get in.
 */
describe.skipIf(!TEST_DATABASE_URL)('the daily request limit under concurrent requests on PostgreSQL', () => {
  let database: ThrowawayDatabase;
  let store: Store;
  let h: CoreHarness;

  beforeEach(async () => {
    database = await createThrowawayDatabase(TEST_DATABASE_URL!);
    ({ store } = await openStore({ databaseUrl: database.url, dataDir: '/nonexistent', logger: silentLogger(), clock: new FakeClock(T0) }));
    h = await coreHarness({ store, scope: { policy: { ...EMPTY_POLICY, maxRequestsPerDay: LIMIT } } });
  });

  afterEach(async () => {
    await store?.close();
    await database?.drop();
  });

  it(`lets exactly ${LIMIT} of ${AT_ONCE} simultaneous requests through and auto-denies the rest`, async () => {
    const results = await Promise.all(
      Array.from({ length: AT_ONCE }, (_, i) =>
        requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: `INC-${i}`, source: 'api' }),
      ),
    );
    const statuses = results.map((r) => r.request.status);
    expect(statuses.filter((s) => s === 'pending')).toHaveLength(LIMIT);
    expect(results.filter((r) => r.decision.outcome === 'auto_deny' && r.decision.rule === 'rate_limit')).toHaveLength(AT_ONCE - LIMIT);
    expect(await store.listRequests({ requesterId: 'alice', statuses: ['pending'] })).toHaveLength(LIMIT);
  });
});
