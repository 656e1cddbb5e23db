import { describe, expect, it } from 'vitest';
import { applyConfig, planConfig } from '../../../src/app/apply-config.ts';
import { verifyAuditTrail } from '../../../src/app/verify-audit-trail.ts';
import { parseElevateConfig } from '../../../src/config/elevate-file.ts';
import { describeChange } from '../../../src/domain/desired-state.ts';
import { MemoryStore } from '../../../src/adapters/store/memory/memory-store.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const FILE = `
admins: [erin]
principals:
  - { id: alice, slack: U0ALICE }
  - { id: bob, slack: U0BOB }
  - { id: erin }
scopes:
  - { name: prod-db-admin, description: DB admin, oauth_scope: db:admin, audience: https://db, max_duration: 2h, approvers: [bob] }
channels:
  - { platform: slack, channel: C0REVIEW, scopes: [prod-db-admin] }
`;
const source = { file: 'elevate.yaml', sha256: 'abc' };

describe('config plan and apply', () => {
  it('plans every addition, applies them with one audit event each, and then has nothing left to do', async () => {
    const store = new MemoryStore(new FakeClock());
    const desired = parseElevateConfig(FILE);
    const plan = await planConfig(store, desired);
    expect(plan.map(describeChange)).toEqual([
      '+ principal alice',
      '+ principal bob',
      '+ principal erin',
      '+ identity slack:U0ALICE',
      '+ identity slack:U0BOB',
      '+ scope prod-db-admin',
      '+ mapping slack:C0REVIEW:prod-db-admin',
    ]);
    expect(await store.listScopes()).toEqual([]);

    const applied = await applyConfig({ store }, desired, { actor: 'config:elevate.yaml', source });
    expect(applied).toHaveLength(7);
    expect((await store.getPrincipal('erin'))?.isAdmin).toBe(true);
    const audit = await store.listAudit(0, 100);
    expect(audit).toHaveLength(8);
    expect(audit.at(-1)).toMatchObject({ type: 'admin.config_applied', actor: 'config:elevate.yaml', data: { added: 7, changed: 0, removed: 0, sha256: 'abc' } });
    expect(await verifyAuditTrail(store)).toMatchObject({ ok: true, records: 8 });

    expect(await planConfig(store, desired)).toEqual([]);
    expect(await applyConfig({ store }, desired, { actor: 'config:elevate.yaml', source })).toEqual([]);
    expect(await store.listAudit(0, 100)).toHaveLength(8);
  });

  it('shows changed fields and removals, and keeps what the service maintains (last seen)', async () => {
    const store = new MemoryStore(new FakeClock());
    await applyConfig({ store }, parseElevateConfig(FILE), { actor: 'config', source });
    const seen = new Date('2026-01-01T00:00:00Z');
    await store.transaction(async (tx) => tx.putPrincipal({ ...(await tx.getPrincipal('alice'))!, lastSeenAt: seen }));

    const next = FILE.replace('max_duration: 2h', 'max_duration: 4h').replace('  - { platform: slack, channel: C0REVIEW, scopes: [prod-db-admin] }\n', '').replace('channels:', 'channels: []').replace('  - { id: alice, slack: U0ALICE }', '  - { id: alice, name: Alice A, slack: U0ALICE }');
    const plan = await planConfig(store, parseElevateConfig(next));
    expect(plan.map(describeChange)).toEqual([
      '~ principal alice: displayName "alice" → "Alice A"',
      '~ scope prod-db-admin: maxDurationSec 7200 → 14400',
      '- mapping slack:C0REVIEW:prod-db-admin',
    ]);
    await applyConfig({ store }, parseElevateConfig(next), { actor: 'config', source });
    expect(await store.getPrincipal('alice')).toMatchObject({ displayName: 'Alice A', lastSeenAt: seen });
    expect(await store.listChannelMappings()).toEqual([]);
  });
});

describe('config plan and apply of reminders and escalation', () => {
  it('shows a new remind_after and escalate_to as changed scope fields, and audits them on apply', async () => {
    const store = new MemoryStore(new FakeClock());
    await applyConfig({ store }, parseElevateConfig(FILE), { actor: 'config', source });
    const next = FILE.replace('approvers: [bob] }', 'approvers: [bob], remind_after: 20m, escalate_to: { after: 40m, approvers: [erin] } }');
    const plan = await planConfig(store, parseElevateConfig(next));
    expect(plan.map(describeChange)).toEqual(['~ scope prod-db-admin: escalation null → {"afterSec":2400,"channels":[],"approvers":["erin"]}; remindAfterSec null → 1200']);
    await applyConfig({ store }, parseElevateConfig(next), { actor: 'config', source });
    const changed = (await store.listAudit(0, 100)).filter((r) => r.type === 'admin.scope_changed').at(-1);
    expect(changed?.data).toMatchObject({ key: 'prod-db-admin', fields: [{ field: 'escalation' }, { field: 'remindAfterSec', before: null, after: 1200 }] });
    expect(await planConfig(store, parseElevateConfig(next))).toEqual([]);
  });
});
