import type { ScopeDefinition } from '../../domain/scope.ts';
import { ElevateError } from '../../domain/errors.ts';
import type { StoreReader } from '../../ports/store.ts';
import type { Actor } from '../actor.ts';
import { listRequestableScopes } from '../list-requestable-scopes.ts';

/**
 * The scopes a request form offers this person: only those they may request, so the form never
 * offers what the request would refuse. A person who may request nothing gets no empty form but
 * an answer that says so.
 */
export async function requestFormScopes(deps: { store: StoreReader }, actor: Actor): Promise<ScopeDefinition[]> {
  const { scopes } = await listRequestableScopes(deps, actor);
  if (scopes.length === 0) throw new ElevateError('not_allowed_to_request', 'There is no scope you are allowed to request yet; ask an admin.');
  return scopes;
}
