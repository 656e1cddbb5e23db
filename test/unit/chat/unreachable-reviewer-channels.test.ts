import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/adapters/store/memory/memory-store.ts';
import { findUnreachableScopes } from '../../../src/app/chat/unreachable-reviewer-channels.ts';
import { aScope } from '../../support/builders.ts';
import { FakeClock } from '../../support/fake-clock.ts';

async function storeWith(mappings: { platform: 'slack' | 'teams'; channelId: string; scopeName: string }[]): Promise<MemoryStore> {
  const store = new MemoryStore(new FakeClock());
  await store.transaction(async (tx) => {
    for (const name of ['prod-db-admin', 'k8s-admin', 'billing-read', 'unmapped']) await tx.putScope(aScope({ name }));
    for (const mapping of mappings) await tx.addChannelMapping(mapping);
  });
  return store;
}

describe('scopes whose reviewer channels are all on platforms that are off', () => {
  it('names each such scope with its channels, and not scopes with one reachable channel or none at all', async () => {
    const store = await storeWith([
      { platform: 'teams', channelId: '19:db@thread.tacv2', scopeName: 'prod-db-admin' },
      { platform: 'teams', channelId: '19:k8s@thread.tacv2', scopeName: 'k8s-admin' },
      { platform: 'slack', channelId: 'C0K8S', scopeName: 'k8s-admin' },
      { platform: 'slack', channelId: 'C0BILLING', scopeName: 'billing-read' },
    ]);
    expect(await findUnreachableScopes(store, new Set(['slack']))).toEqual([
      { scopeName: 'prod-db-admin', channels: [{ platform: 'teams', channelId: '19:db@thread.tacv2', scopeName: 'prod-db-admin' }] },
    ]);
    expect((await findUnreachableScopes(store, new Set(['teams']))).map((s) => s.scopeName)).toEqual(['billing-read']);
    expect(await findUnreachableScopes(store, new Set(['slack', 'teams']))).toEqual([]);
  });
});
