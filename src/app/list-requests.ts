import { isEligibleApprover } from '../domain/scope.ts';
import type { RequestStatus } from '../domain/request.ts';
import type { RequestView } from '../ports/chat-platform.ts';
import type { StoreReader } from '../ports/store.ts';
import { resolveActor, type Actor } from './actor.ts';
import { buildRequestView } from './chat/build-request-view.ts';

export type RequestRole = 'requester' | 'approver';

export const MAX_LISTED_REQUESTS = 100;

/**
 * A person's requests (`requester`), or the requests of other people for scopes they approve
 * (`approver`, an approver's queue with `statuses: ['pending']`), newest first.
 */
export async function listRequests(
  deps: { store: StoreReader },
  actor: Actor,
  filter: { role: RequestRole; statuses?: readonly RequestStatus[]; limit?: number },
): Promise<RequestView[]> {
  const person = await resolveActor(deps.store, actor);
  const limit = Math.min(filter.limit ?? MAX_LISTED_REQUESTS, MAX_LISTED_REQUESTS);
  let requests;
  if (filter.role === 'requester') {
    requests = await deps.store.listRequests({ requesterId: person.id, statuses: filter.statuses });
  } else {
    // Escalation approvers see a scope's requests once they are escalated, and only then.
    const scopes = (await deps.store.listScopes()).filter((scope) => isEligibleApprover(scope, person.id, { escalatedAt: new Date(0) }));
    const perScope = await Promise.all(
      scopes.map(async (scope) => (await deps.store.listRequests({ scopeName: scope.name, statuses: filter.statuses })).filter((request) => isEligibleApprover(scope, person.id, request))),
    );
    requests = perScope.flat().filter((request) => request.requesterId !== person.id);
  }
  const newest = requests.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id)).slice(0, limit);
  return Promise.all(newest.map((request) => buildRequestView(deps.store, request.id)));
}
