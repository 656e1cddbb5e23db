import { describe, expect, it } from 'vitest';
import { isElevateError } from '../../../src/domain/errors.ts';
import { aChannelMapping, anIdentity, aPrincipal, aScope, at } from '../../support/builders.ts';
import { write, type ContractContext } from './context.ts';

/** Scopes, principals, chat identities and channel mappings: what admins configure. */
export function catalogContract(ctx: ContractContext): void {
  describe('scopes', () => {
    it('stores a scope with every field and reads it back unchanged', async () => {
      const scope = aScope({
        reasonPattern: '^INC-\\d+',
        approvers: ['bob', 'carol'],
        requesters: ['alice', 'dave'],
        policy: { autoApprove: true, allowedHoursUtc: { start: '08:00', end: '18:00' }, maxRequestsPerDay: 3, dormantAfterDays: 90 },
      });
      await write(ctx.store, (tx) => tx.putScope(scope));
      expect(await ctx.store.getScope(scope.name)).toEqual(scope);
    });

    it('replaces a scope stored under the same name', async () => {
      await write(ctx.store, (tx) => tx.putScope(aScope({ description: 'old', approvers: ['bob'] })));
      await write(ctx.store, (tx) => tx.putScope(aScope({ description: 'new', approvers: [] })));
      expect(await ctx.store.getScope('prod-db-admin')).toMatchObject({ description: 'new', approvers: [] });
      expect(await ctx.store.listScopes()).toHaveLength(1);
    });

    it('lists scopes by name and returns null for an unknown one', async () => {
      await write(ctx.store, async (tx) => {
        await tx.putScope(aScope({ name: 'staging-admin' }));
        await tx.putScope(aScope({ name: 'billing-read' }));
      });
      expect((await ctx.store.listScopes()).map((s) => s.name)).toEqual(['billing-read', 'staging-admin']);
      expect(await ctx.store.getScope('nope')).toBeNull();
    });

    it('deletes a scope with its channel mappings and says whether it existed', async () => {
      await write(ctx.store, async (tx) => {
        await tx.putScope(aScope());
        await tx.addChannelMapping(aChannelMapping());
      });
      expect(await write(ctx.store, (tx) => tx.deleteScope('prod-db-admin'))).toBe(true);
      expect(await write(ctx.store, (tx) => tx.deleteScope('prod-db-admin'))).toBe(false);
      expect(await ctx.store.getScope('prod-db-admin')).toBeNull();
      expect(await ctx.store.listChannelMappings()).toEqual([]);
    });

    it('hands out copies, so changing a returned scope changes nothing stored', async () => {
      await write(ctx.store, (tx) => tx.putScope(aScope()));
      const read = (await ctx.store.getScope('prod-db-admin'))!;
      read.approvers.push('mallory');
      read.policy.autoApprove = true;
      expect(await ctx.store.getScope('prod-db-admin')).toEqual(aScope());
    });
  });

  describe('principals', () => {
    it('stores a principal with every field and reads it back unchanged', async () => {
      const service = aPrincipal({ id: 'ci-bot', kind: 'service', email: null, isAdmin: true, lastSeenAt: at(-86_400) });
      const human = aPrincipal({ id: 'alice', isAuditor: true });
      await write(ctx.store, async (tx) => {
        await tx.putPrincipal(service);
        await tx.putPrincipal(human);
      });
      expect(await ctx.store.getPrincipal('ci-bot')).toEqual(service);
      expect(await ctx.store.listPrincipals()).toEqual([human, service]);
      expect(await ctx.store.getPrincipal('nobody')).toBeNull();
    });

    it('updates a principal stored under the same id', async () => {
      await write(ctx.store, (tx) => tx.putPrincipal(aPrincipal({ lastSeenAt: null })));
      await write(ctx.store, (tx) => tx.putPrincipal(aPrincipal({ lastSeenAt: at(10), isAdmin: true, isAuditor: true })));
      expect(await ctx.store.getPrincipal('alice')).toMatchObject({ lastSeenAt: at(10), isAdmin: true, isAuditor: true });
      await write(ctx.store, (tx) => tx.putPrincipal(aPrincipal({ lastSeenAt: at(10), isAdmin: true, isAuditor: false })));
      expect(await ctx.store.getPrincipal('alice')).toMatchObject({ isAdmin: true, isAuditor: false });
    });

    it('deletes a principal with its chat identities', async () => {
      await write(ctx.store, async (tx) => {
        await tx.putPrincipal(aPrincipal({ id: 'alice' }));
        await tx.putIdentity(anIdentity({ principalId: 'alice' }));
      });
      expect(await write(ctx.store, (tx) => tx.deletePrincipal('alice'))).toBe(true);
      expect(await write(ctx.store, (tx) => tx.deletePrincipal('alice'))).toBe(false);
      expect(await ctx.store.listIdentities()).toEqual([]);
      expect(await ctx.store.findPrincipalByIdentity('slack', 'U-ALICE')).toBeNull();
    });
  });

  describe('chat identities', () => {
    it('finds the principal linked to a chat account, and nobody for an unlinked one', async () => {
      await write(ctx.store, async (tx) => {
        await tx.putPrincipal(aPrincipal({ id: 'alice' }));
        await tx.putIdentity({ platform: 'slack', userId: 'U1', principalId: 'alice' });
      });
      expect(await ctx.store.findPrincipalByIdentity('slack', 'U1')).toEqual(aPrincipal({ id: 'alice' }));
      expect(await ctx.store.findPrincipalByIdentity('teams', 'U1')).toBeNull();
      expect(await ctx.store.findPrincipalByIdentity('slack', 'U2')).toBeNull();
    });

    it('reads every field of the linked principal', async () => {
      const erin = aPrincipal({ id: 'erin', displayName: 'Erin Ops', email: 'erin@example.com', kind: 'service', isAdmin: true, isAuditor: true, lastSeenAt: new Date('2026-03-02T09:05:00.000Z') });
      await write(ctx.store, async (tx) => {
        await tx.putPrincipal(erin);
        await tx.putIdentity({ platform: 'teams', userId: '29:erin', principalId: 'erin' });
      });
      expect(await ctx.store.findPrincipalByIdentity('teams', '29:erin')).toEqual(erin);
    });

    it('reads several principals by id at once, skipping ids nobody has, repeated ids once', async () => {
      await write(ctx.store, async (tx) => {
        for (const id of ['carol', 'alice', 'bob']) await tx.putPrincipal(aPrincipal({ id, displayName: id.toUpperCase() }));
      });
      expect((await ctx.store.getPrincipals(['carol', 'nobody', 'alice', 'carol'])).map((p) => [p.id, p.displayName])).toEqual([
        ['alice', 'ALICE'],
        ['carol', 'CAROL'],
      ]);
      expect(await ctx.store.getPrincipals([])).toEqual([]);
    });

    it('lists identities, all or one principal’s, by platform and user id', async () => {
      await write(ctx.store, async (tx) => {
        await tx.putPrincipal(aPrincipal({ id: 'alice' }));
        await tx.putPrincipal(aPrincipal({ id: 'bob' }));
        await tx.putIdentity({ platform: 'teams', userId: '29:a', principalId: 'alice' });
        await tx.putIdentity({ platform: 'slack', userId: 'UB', principalId: 'bob' });
        await tx.putIdentity({ platform: 'slack', userId: 'UA', principalId: 'alice' });
      });
      expect(await ctx.store.listIdentities()).toEqual([
        { platform: 'slack', userId: 'UA', principalId: 'alice' },
        { platform: 'slack', userId: 'UB', principalId: 'bob' },
        { platform: 'teams', userId: '29:a', principalId: 'alice' },
      ]);
      expect((await ctx.store.listIdentities('alice')).map((i) => i.userId)).toEqual(['UA', '29:a']);
      expect(await ctx.store.listIdentities('nobody')).toEqual([]);
    });

    it('relinks a chat account to another principal', async () => {
      await write(ctx.store, async (tx) => {
        await tx.putPrincipal(aPrincipal({ id: 'alice' }));
        await tx.putPrincipal(aPrincipal({ id: 'bob' }));
        await tx.putIdentity({ platform: 'slack', userId: 'U1', principalId: 'alice' });
        await tx.putIdentity({ platform: 'slack', userId: 'U1', principalId: 'bob' });
      });
      expect((await ctx.store.findPrincipalByIdentity('slack', 'U1'))?.id).toBe('bob');
      expect(await ctx.store.listIdentities()).toHaveLength(1);
    });

    it('unlinks a chat account and says whether it was linked', async () => {
      await write(ctx.store, async (tx) => {
        await tx.putPrincipal(aPrincipal({ id: 'alice' }));
        await tx.putIdentity({ platform: 'slack', userId: 'U1', principalId: 'alice' });
      });
      expect(await write(ctx.store, (tx) => tx.deleteIdentity('slack', 'U1'))).toBe(true);
      expect(await write(ctx.store, (tx) => tx.deleteIdentity('slack', 'U1'))).toBe(false);
      expect(await ctx.store.findPrincipalByIdentity('slack', 'U1')).toBeNull();
    });

    it('refuses to link a chat account to a principal that does not exist', async () => {
      const error = await write(ctx.store, (tx) => tx.putIdentity(anIdentity({ principalId: 'ghost' }))).catch((e: unknown) => e);
      expect(isElevateError(error, 'not_found')).toBe(true);
      expect(await ctx.store.listIdentities()).toEqual([]);
    });
  });

  describe('conversation references', () => {
    it('stores, replaces, finds by platform, kind and key, and removes', async () => {
      const personal = { platform: 'teams' as const, kind: 'personal' as const, key: 'aad-alice', reference: { conversation: { id: 'a:1:alice' }, serviceUrl: 'https://smba.example/emea/', nested: { list: [1, 'two'] } }, updatedAt: at(10) };
      const channel = { platform: 'teams' as const, kind: 'channel' as const, key: 'aad-alice', reference: { conversation: { id: '19:reviewers@thread.tacv2' } }, updatedAt: at(11) };
      await write(ctx.store, async (tx) => {
        await tx.putConversationReference(personal);
        await tx.putConversationReference(channel);
      });
      expect(await ctx.store.getConversationReference('teams', 'personal', 'aad-alice')).toEqual(personal);
      expect(await ctx.store.getConversationReference('teams', 'channel', 'aad-alice')).toEqual(channel);
      expect(await ctx.store.getConversationReference('slack', 'personal', 'aad-alice')).toBeNull();

      const moved = { ...personal, reference: { conversation: { id: 'a:1:alice' }, serviceUrl: 'https://smba.example/amer/' }, updatedAt: at(20) };
      await write(ctx.store, (tx) => tx.putConversationReference(moved));
      expect(await ctx.store.getConversationReference('teams', 'personal', 'aad-alice')).toEqual(moved);

      expect(await write(ctx.store, (tx) => tx.removeConversationReference('teams', 'personal', 'aad-alice'))).toBe(true);
      expect(await write(ctx.store, (tx) => tx.removeConversationReference('teams', 'personal', 'aad-alice'))).toBe(false);
      expect(await ctx.store.getConversationReference('teams', 'personal', 'aad-alice')).toBeNull();
      expect(await ctx.store.getConversationReference('teams', 'channel', 'aad-alice')).toEqual(channel);
    });
  });

  describe('channel mappings', () => {
    it('adds a mapping once and reports the repeat', async () => {
      await write(ctx.store, (tx) => tx.putScope(aScope()));
      expect(await write(ctx.store, (tx) => tx.addChannelMapping(aChannelMapping()))).toBe(true);
      expect(await write(ctx.store, (tx) => tx.addChannelMapping(aChannelMapping()))).toBe(false);
      expect(await ctx.store.listChannelMappings()).toEqual([aChannelMapping()]);
    });

    it('filters mappings by scope, platform and channel', async () => {
      const slackDb = aChannelMapping({ platform: 'slack', channelId: 'C1', scopeName: 'db' });
      const slackBilling = aChannelMapping({ platform: 'slack', channelId: 'C1', scopeName: 'billing' });
      const teamsDb = aChannelMapping({ platform: 'teams', channelId: '19:x', scopeName: 'db' });
      await write(ctx.store, async (tx) => {
        await tx.putScope(aScope({ name: 'db' }));
        await tx.putScope(aScope({ name: 'billing' }));
        for (const m of [teamsDb, slackDb, slackBilling]) await tx.addChannelMapping(m);
      });
      expect(await ctx.store.listChannelMappings()).toEqual([slackBilling, slackDb, teamsDb]);
      expect(await ctx.store.listChannelMappings({ scopeName: 'db' })).toEqual([slackDb, teamsDb]);
      expect(await ctx.store.listChannelMappings({ platform: 'teams' })).toEqual([teamsDb]);
      expect(await ctx.store.listChannelMappings({ platform: 'slack', channelId: 'C1' })).toEqual([slackBilling, slackDb]);
      expect(await ctx.store.listChannelMappings({ channelId: 'C9' })).toEqual([]);
    });

    it('removes a mapping and says whether it existed', async () => {
      await write(ctx.store, async (tx) => {
        await tx.putScope(aScope());
        await tx.addChannelMapping(aChannelMapping());
      });
      expect(await write(ctx.store, (tx) => tx.removeChannelMapping(aChannelMapping()))).toBe(true);
      expect(await write(ctx.store, (tx) => tx.removeChannelMapping(aChannelMapping()))).toBe(false);
      expect(await ctx.store.listChannelMappings()).toEqual([]);
    });

    it('refuses a mapping to a scope that does not exist', async () => {
      const error = await write(ctx.store, (tx) => tx.addChannelMapping(aChannelMapping({ scopeName: 'ghost' }))).catch((e: unknown) => e);
      expect(isElevateError(error, 'not_found')).toBe(true);
    });
  });
}
