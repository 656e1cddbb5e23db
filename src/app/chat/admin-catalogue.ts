import type { ChannelMapping } from '../../domain/principal.ts';
import type { ScopeDefinition } from '../../domain/scope.ts';
import type { StoreReader } from '../../ports/store.ts';
import type { Actor } from '../actor.ts';
import { requireAdmin } from './require-admin.ts';

/** `/elevate admin mappings`: every reviewer channel mapping, for admins only. */
export async function listMappingsAsAdmin(store: StoreReader, actor: Actor): Promise<ChannelMapping[]> {
  await requireAdmin(store, actor);
  return store.listChannelMappings();
}

/** `/elevate admin scopes`: every scope with its rules, for admins only. */
export async function listScopesAsAdmin(store: StoreReader, actor: Actor): Promise<ScopeDefinition[]> {
  await requireAdmin(store, actor);
  return store.listScopes();
}
