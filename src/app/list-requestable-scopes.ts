import { mayRequest, type ScopeDefinition } from '../domain/scope.ts';
import type { Principal } from '../domain/principal.ts';
import type { StoreReader } from '../ports/store.ts';
import { resolveActor, type Actor } from './actor.ts';

export interface RequestableScopes {
  requester: Principal;
  scopes: ScopeDefinition[];
}

/**
 * The scopes this person may request, in name order: what a request form lists and what
 * `GET /api/v1/scopes` answers. The same rule as {@link requestElevation}'s check, so a form never
 * offers a scope the request would refuse.
 */
export async function listRequestableScopes(deps: { store: StoreReader }, actor: Actor): Promise<RequestableScopes> {
  const requester = await resolveActor(deps.store, actor);
  const scopes = (await deps.store.listScopes()).filter((scope) => mayRequest(scope, requester.id)).sort((a, b) => a.name.localeCompare(b.name));
  return { requester, scopes };
}
