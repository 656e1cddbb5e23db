import { afterEach, describe, expect, it } from 'vitest';
import { TEAMS_TENANT_ID } from '../../fakes/teams/fake-bot-framework.ts';
import { startTeamsWorld, type TeamsWorld } from './teams-harness.ts';

const FOREIGN_TENANT = '99999999-8888-4777-8666-555555555555';

let world: TeamsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('a multi-tenant Teams bot with an allow-list of tenants', () => {
  it('ignores activities from a tenant not on TEAMS_ALLOWED_TENANTS, even correctly signed ones, and serves the listed one', async () => {
    world = await startTeamsWorld({ env: { MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '', TEAMS_ALLOWED_TENANTS: TEAMS_TENANT_ID.toUpperCase() } });
    world.sender.tenantId = FOREIGN_TENANT;
    await world.say('alice', 'elevate prod-db-admin 1h INC-9 investigate');
    expect(await world.store.listRequests({})).toEqual([]);
    expect(world.logs.entries.some((l) => l.msg === 'teams: ignored an activity from another tenant')).toBe(true);

    world.sender.tenantId = TEAMS_TENANT_ID;
    await world.say('alice', 'elevate prod-db-admin 1h INC-9 investigate');
    expect(await world.store.listRequests({})).toHaveLength(1);
  });

  it('warns loudly at start when any tenant may reach it', async () => {
    world = await startTeamsWorld({ env: { MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '' } });
    expect(world.logs.entries.some((l) => l.alert === 'teams_any_tenant' && Number(l.level) >= 40)).toBe(true);
  });
});
