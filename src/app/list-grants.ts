import type { Grant, GrantStatus } from '../domain/grant.ts';
import type { ElevationRequest } from '../domain/request.ts';
import type { StoreReader } from '../ports/store.ts';
import { resolveActor, type Actor } from './actor.ts';

/** A person's own grants (as requester) with their requests, ending soonest first. */
export async function listGrants(
  deps: { store: StoreReader },
  actor: Actor,
  filter: { statuses?: readonly GrantStatus[] } = {},
): Promise<{ grant: Grant; request: ElevationRequest }[]> {
  const person = await resolveActor(deps.store, actor);
  const granted = await deps.store.listRequests({ requesterId: person.id, statuses: ['approved', 'auto_approved'] });
  if (granted.length === 0) return [];
  const byId = new Map(granted.map((request) => [request.id, request]));
  const grants = await deps.store.listGrants({ requestIds: [...byId.keys()], statuses: filter.statuses });
  return grants
    .flatMap((grant) => {
      const request = byId.get(grant.requestId);
      return request ? [{ grant, request }] : [];
    })
    .sort((a, b) => a.grant.endsAt.getTime() - b.grant.endsAt.getTime());
}
