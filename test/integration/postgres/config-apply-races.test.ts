import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/adapters/store/open-store.ts';
import { applyConfig } from '../../../src/app/apply-config.ts';
import { verifyAuditTrail } from '../../../src/app/verify-audit-trail.ts';
import { parseElevateConfig } from '../../../src/config/elevate-file.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import type { Store } from '../../../src/ports/store.ts';
import { createThrowawayDatabase, TEST_DATABASE_URL, type ThrowawayDatabase } from '../../support/postgres.ts';

const FILE = `
admins: [erin]
principals:
  - { id: alice, slack: U0ALICE }
  - { id: bob, slack: U0BOB, teams: 29:bob }
  - { id: erin }
scopes:
  - { name: prod-db-admin, description: DB admin, oauth_scope: db:admin, audience: https://db, max_duration: 2h, approvers: [bob] }
  - { name: billing-read, description: Billing, oauth_scope: billing:read, audience: https://billing, max_duration: 1h, approvers: [bob, erin] }
channels:
  - { platform: slack, channel: C0REVIEW, scopes: [prod-db-admin, billing-read] }
`;
const CHANGES = 10; // 3 principals, 3 identities, 2 scopes, 2 mappings
const INSTANCES = 4;

/**
 * Every instance applies ELEVATE_CONFIG when it starts, and a deployment starts them together:
 * each on its own connection pool, all at once, against one PostgreSQL. Exactly one of them
 * makes the changes; the others find nothing left to do. No instance fails to start, and the
 * audit trail records each change once.
 */
describe.skipIf(!TEST_DATABASE_URL)('ELEVATE_CONFIG applied by several instances at once on PostgreSQL', () => {
  let database: ThrowawayDatabase;
  let stores: Store[];

  beforeEach(async () => {
    database = await createThrowawayDatabase(TEST_DATABASE_URL!);
    stores = [];
    for (let i = 0; i < INSTANCES; i += 1) stores.push((await openStore({ databaseUrl: database.url, dataDir: '/nonexistent', logger: silentLogger() })).store);
  });

  afterEach(async () => {
    await Promise.all((stores ?? []).map((store) => store.close()));
    await database?.drop();
  });

  const applyEverywhere = (text: string) =>
    Promise.allSettled(stores.map((store, i) => applyConfig({ store }, parseElevateConfig(text), { actor: `config:instance-${i}`, source: { file: 'elevate.yaml', sha256: text.length.toString(16) } })));

  it('the first start: one instance applies every change, the others apply none, each change audited once', async () => {
    const results = await applyEverywhere(FILE);
    expect(results.map((r) => r.status)).toEqual(Array(INSTANCES).fill('fulfilled'));
    const counts = results.map((r) => (r.status === 'fulfilled' ? r.value.length : -1)).sort((a, b) => b - a);
    expect(counts).toEqual([CHANGES, ...Array(INSTANCES - 1).fill(0)]);

    const audit = await stores[0]!.listAudit(0, 1000);
    expect(audit.filter((r) => r.type === 'admin.config_applied')).toHaveLength(1);
    expect(audit).toHaveLength(CHANGES + 1);
    expect(await verifyAuditTrail(stores[0]!)).toMatchObject({ ok: true, records: CHANGES + 1 });
    expect((await stores[0]!.listScopes()).map((s) => s.name).sort()).toEqual(['billing-read', 'prod-db-admin']);
    expect(await stores[0]!.listChannelMappings()).toHaveLength(2);
  });

  it('a changed file rolled out to every instance at once: the change is made and audited once', async () => {
    await applyConfig({ store: stores[0]! }, parseElevateConfig(FILE), { actor: 'config:first', source: { file: 'elevate.yaml', sha256: 'first' } });
    const next = FILE.replace('max_duration: 2h', 'max_duration: 4h').replace('  - { id: erin }\n', '  - { id: erin }\n  - { id: carol, slack: U0CAROL }\n');
    const results = await applyEverywhere(next);
    expect(results.map((r) => r.status)).toEqual(Array(INSTANCES).fill('fulfilled'));
    const counts = results.map((r) => (r.status === 'fulfilled' ? r.value.length : -1)).sort((a, b) => b - a);
    expect(counts).toEqual([3, ...Array(INSTANCES - 1).fill(0)]); // scope changed, principal and identity added

    const audit = await stores[0]!.listAudit(0, 1000);
    expect(audit.filter((r) => r.type === 'admin.config_applied')).toHaveLength(2);
    expect(audit.filter((r) => r.type === 'admin.scope_changed' && (r.data as { action: string }).action === 'change')).toHaveLength(1);
    expect(await verifyAuditTrail(stores[0]!)).toMatchObject({ ok: true });
    expect((await stores[0]!.getScope('prod-db-admin'))?.maxDurationSec).toBe(4 * 3600);
  });
});
