import type { Grant } from '../../domain/grant.ts';
import type { Principal } from '../../domain/principal.ts';
import { WAITING_STATUSES, type ElevationRequest } from '../../domain/request.ts';
import type { StoreReader } from '../../ports/store.ts';
import { resolveActor, type Actor } from '../actor.ts';
import { isEligibleApprover } from '../../domain/scope.ts';

export interface MyElevations {
  principal: Principal;
  pending: ElevationRequest[];
  /** Grants that are live or being revoked, with their requests. */
  active: { grant: Grant; request: ElevationRequest }[];
  /** Break-glass grants of others, in scopes this person approves, that nobody has reviewed yet (oldest first). */
  breakGlassToReview: ElevationRequest[];
}

/** What `/elevate list` and the App Home show a person: their waiting requests (pending, or verifying) and live grants. */
export async function listMyElevations(store: StoreReader, actor: Actor): Promise<MyElevations> {
  const principal = await resolveActor(store, actor);
  const pending = await store.listRequests({ requesterId: principal.id, statuses: WAITING_STATUSES, limit: 50 });
  const granted = await store.listRequests({ requesterId: principal.id, statuses: ['approved', 'auto_approved'], limit: 200 });
  const grants = granted.length === 0 ? [] : await store.listGrants({ requestIds: granted.map((r) => r.id), statuses: ['issuing', 'active', 'revoking'] });
  const byId = new Map(granted.map((r) => [r.id, r]));
  const active = grants.flatMap((grant) => {
    const request = byId.get(grant.requestId);
    return request ? [{ grant, request }] : [];
  });
  active.sort((a, b) => a.grant.endsAt.getTime() - b.grant.endsAt.getTime());
  const approves = new Set((await store.listScopes()).filter((scope) => isEligibleApprover(scope, principal.id)).map((scope) => scope.name));
  const unreviewed = approves.size === 0 ? [] : await store.listRequests({ breakGlassUnreviewed: true, limit: 200 });
  const breakGlassToReview = unreviewed.filter((r) => approves.has(r.scopeName) && r.requesterId !== principal.id).slice(0, 20);
  return { principal, pending, active, breakGlassToReview };
}
