import { ElevateError } from '../domain/errors.ts';
import { isEligibleApprover } from '../domain/scope.ts';
import type { RequestView } from '../ports/chat-platform.ts';
import type { StoreReader } from '../ports/store.ts';
import { resolveActor, type Actor } from './actor.ts';
import { buildRequestView } from './chat/build-request-view.ts';

/**
 * One request as its requester, its scope's approvers and admins may see it. Anyone else is told
 * it does not exist, so request ids cannot be probed for what they hold.
 */
export async function viewRequest(deps: { store: StoreReader }, actor: Actor, requestId: string): Promise<RequestView> {
  const person = await resolveActor(deps.store, actor);
  const request = await deps.store.getRequest(requestId);
  const scope = request ? await deps.store.getScope(request.scopeName) : null;
  const allowed = request !== null && (request.requesterId === person.id || person.isAdmin || (scope !== null && isEligibleApprover(scope, person.id, request)));
  if (!allowed) throw new ElevateError('not_found', 'That request does not exist.', { details: { requestId: requestId.slice(0, 64), actor: person.id } });
  return buildRequestView(deps.store, requestId);
}
