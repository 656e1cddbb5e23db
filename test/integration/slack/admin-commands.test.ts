import { afterEach, describe, expect, it } from 'vitest';
import { startSlackWorld, type SlackWorld } from './slack-harness.ts';

let world: SlackWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('/elevate admin', () => {
  it('maps and unmaps a reviewer channel for an admin, audited like the config file', async () => {
    world = await startSlackWorld();
    const mapped = await world.command('erin', 'admin map <#C0NEWREVIEW|db-reviewers> prod-db-admin');
    expect(mapped.replies.at(-1)?.text).toMatch(/now go to <#C0NEWREVIEW>/);
    expect(await world.store.listChannelMappings({ channelId: 'C0NEWREVIEW' })).toEqual([{ platform: 'slack', channelId: 'C0NEWREVIEW', scopeName: 'prod-db-admin' }]);
    expect((await world.command('erin', 'admin mappings')).replies.at(-1)?.text).toMatch(/<#C0NEWREVIEW> → \*prod-db-admin\*/);

    await world.command('erin', 'admin unmap C0NEWREVIEW prod-db-admin');
    expect(await world.store.listChannelMappings({ channelId: 'C0NEWREVIEW' })).toEqual([]);
    const audit = (await world.store.listAudit(0, 100)).filter((r) => r.type.startsWith('admin.mapping'));
    expect(audit.map((r) => [r.type, r.actor, r.data.key, r.data.via])).toEqual([
      ['admin.mapping_added', 'erin', 'slack:C0NEWREVIEW:prod-db-admin', 'slack'],
      ['admin.mapping_removed', 'erin', 'slack:C0NEWREVIEW:prod-db-admin', 'slack'],
    ]);
  });

  it('lists scopes for an admin', async () => {
    world = await startSlackWorld();
    expect((await world.command('erin', 'admin scopes')).replies.at(-1)?.text).toMatch(/\*prod-db-admin\* — Administer the production database/);
  });

  it('refuses every admin command from a non-admin and changes nothing', async () => {
    world = await startSlackWorld();
    for (const text of ['admin map C0NEWREVIEW prod-db-admin', 'admin unmap C0REVIEWERS prod-db-admin', 'admin mappings', 'admin scopes']) {
      expect((await world.command('bob', text)).replies.at(-1)?.text).toMatch(/Only Elevate admins/);
    }
    expect(await world.store.listChannelMappings()).toHaveLength(1);
    expect((await world.store.listAudit(0, 100)).filter((r) => r.type.startsWith('admin.'))).toEqual([]);
  });

  it('says what to fix for an unknown scope or a malformed channel', async () => {
    world = await startSlackWorld();
    expect((await world.command('erin', 'admin map C0NEWREVIEW nope')).replies.at(-1)?.text).toMatch(/no scope called "nope"\. Scopes: prod-db-admin/);
    const { sent } = await world.command('erin', 'admin map #general prod-db-admin');
    expect(JSON.parse(sent.body).text).toMatch(/Name a channel and a scope/);
  });
});
