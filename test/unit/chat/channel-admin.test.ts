import { describe, expect, it } from 'vitest';
import { listMappingsAsAdmin, listScopesAsAdmin } from '../../../src/app/chat/admin-catalogue.ts';
import { mapChannel, unmapChannel } from '../../../src/app/chat/map-channel.ts';
import { listMyElevations } from '../../../src/app/chat/my-elevations.ts';
import { submitRequest } from '../../../src/app/chat/submit-request.ts';
import { decideRequest } from '../../../src/app/chat/decide-request.ts';
import { slackUser } from '../../support/core-harness.ts';
import { chatWorld } from './chat-world.ts';

const mapping = { platform: 'slack' as const, channelId: 'C-NEW', scopeName: 'prod-db-admin' };

describe('channel mappings from chat', () => {
  it('lets an admin map and unmap a channel, each change audited once', async () => {
    const w = await chatWorld();
    expect(await mapChannel(w.deps, { actor: slackUser('erin'), mapping })).toEqual({ mapping, changed: true });
    expect(await mapChannel(w.deps, { actor: slackUser('erin'), mapping })).toEqual({ mapping, changed: false });
    expect(await listMappingsAsAdmin(w.store, slackUser('erin'))).toContainEqual(mapping);
    expect(await unmapChannel(w.deps, { actor: slackUser('erin'), mapping })).toEqual({ mapping, changed: true });
    const audit = (await w.store.listAudit(0, 100)).filter((r) => r.type.startsWith('admin.mapping'));
    expect(audit.map((r) => [r.type, r.actor, r.data.action, r.data.key])).toEqual([
      ['admin.mapping_added', 'erin', 'add', 'slack:C-NEW:prod-db-admin'],
      ['admin.mapping_removed', 'erin', 'remove', 'slack:C-NEW:prod-db-admin'],
    ]);
  });

  it('refuses non-admins for every operation', async () => {
    const w = await chatWorld();
    await expect(mapChannel(w.deps, { actor: slackUser('bob'), mapping })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(unmapChannel(w.deps, { actor: slackUser('bob'), mapping: { ...mapping, channelId: 'C-REVIEWERS' } })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(listMappingsAsAdmin(w.store, slackUser('bob'))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(listScopesAsAdmin(w.store, slackUser('bob'))).rejects.toMatchObject({ code: 'forbidden' });
    expect(await w.store.listChannelMappings({ platform: 'slack' })).toHaveLength(1);
  });

  it('refuses a mapping to a scope that does not exist', async () => {
    const w = await chatWorld();
    await expect(mapChannel(w.deps, { actor: slackUser('erin'), mapping: { ...mapping, scopeName: 'nope' } })).rejects.toMatchObject({ code: 'unknown_scope' });
  });
});

describe('listMyElevations', () => {
  it("shows a person's pending requests and live grants, and nobody else's", async () => {
    const w = await chatWorld({ scope: { requesters: ['*'] } });
    const first = await submitRequest(w.deps, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-1', source: 'slack' });
    await submitRequest(w.deps, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-2', source: 'slack' });
    await submitRequest(w.deps, { actor: slackUser('dave'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-3', source: 'slack' });
    await decideRequest(w.deps, { requestId: first.request.id, actor: slackUser('bob'), decision: 'approve' });
    const mine = await listMyElevations(w.store, slackUser('alice'));
    expect(mine.pending.map((r) => r.reason)).toEqual(['INC-2']);
    expect(mine.active.map((a) => [a.request.reason, a.grant.status])).toEqual([['INC-1', 'active']]);
  });
});
