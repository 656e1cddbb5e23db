import type { ChannelMapping, ChatPlatform } from '../../domain/principal.ts';
import type { StoreReader } from '../../ports/store.ts';

/** A scope whose every reviewer channel is on a chat platform this instance does not run. */
export interface UnreachableScope {
  scopeName: string;
  channels: ChannelMapping[];
}

/**
 * Scopes that have reviewer channels, none of them on a platform that is on: a request for one
 * is stored, but its approval message is posted nowhere, so nobody sees it until it expires.
 * Checked at start-up so the operator learns of it before a requester does.
 */
export async function findUnreachableScopes(store: StoreReader, platformsOn: ReadonlySet<ChatPlatform>): Promise<UnreachableScope[]> {
  const byScope = new Map<string, ChannelMapping[]>();
  for (const mapping of await store.listChannelMappings()) {
    const channels = byScope.get(mapping.scopeName) ?? [];
    channels.push(mapping);
    byScope.set(mapping.scopeName, channels);
  }
  return [...byScope]
    .filter(([, channels]) => channels.every((channel) => !platformsOn.has(channel.platform)))
    .map(([scopeName, channels]) => ({ scopeName, channels }))
    .sort((a, b) => a.scopeName.localeCompare(b.scopeName));
}
