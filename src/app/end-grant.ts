import { ElevateError } from '../domain/errors.ts';
import type { Grant, GrantEndReason } from '../domain/grant.ts';
import { isEligibleApprover } from '../domain/scope.ts';
import { WAITING_STATUSES } from '../domain/request.ts';
import { resolveActor, type Actor } from './actor.ts';
import type { GrantDeps } from './deps.ts';
import { revokeClaimedGrants, type EndGrantResult } from './revoke-claimed-grants.ts';

export type { EndGrantResult };

/**
 * Ends a grant: marks it `revoking` (committed before the AS is called), revokes the token at the
 * AS, then erases the sealed token and records the revocation lag. The requester ending early,
 * a reviewer or admin revoking, and the sweeper at the end of the window all use this path.
 */
export async function endGrant(deps: GrantDeps, grantId: string, reason: GrantEndReason, actorId = 'system'): Promise<EndGrantResult> {
  const { store, clock } = deps;
  const marked = await store.transaction(async (tx) => {
    const grant = await tx.lockGrant(grantId);
    if (!grant) throw new ElevateError('not_found', 'That grant does not exist.', { details: { grantId } });
    if (grant.status !== 'active') return grant;
    const patch = { status: 'revoking' as const, endReason: reason, nextAttemptAt: clock.now() };
    await tx.updateGrant(grant.id, 'active', patch);
    await tx.appendAudit({ type: 'grant.revoking', actor: actorId, requestId: grant.requestId, grantId: grant.id, data: { reason } });
    // An extension still waiting for this grant can no longer be approved: the next sweep expires it (and says so).
    for (const extension of await tx.listRequests({ extendsGrantId: grant.id, statuses: WAITING_STATUSES })) {
      await tx.updateRequest(extension.id, extension.status, { pendingUntil: patch.nextAttemptAt });
    }
    return { ...grant, ...patch };
  });
  if (marked.status !== 'revoking') return { kind: 'unchanged', grant: marked };
  return completeRevocation(deps, marked);
}

/** Revokes one grant already marked `revoking`; see {@link revokeClaimedGrants}. */
export async function completeRevocation(deps: GrantDeps, grant: Grant): Promise<EndGrantResult> {
  const [result] = await revokeClaimedGrants(deps, [grant], 1);
  return result!;
}

/**
 * A person ends a grant early: the requester ("I'm done"), an eligible approver of its scope, or
 * an admin. Anyone else is refused and nothing changes.
 */
export async function endGrantAsPerson(deps: GrantDeps, grantId: string, actor: Actor): Promise<EndGrantResult> {
  const { store } = deps;
  const person = await resolveActor(store, actor);
  const grant = await store.getGrant(grantId);
  const request = grant ? await store.getRequest(grant.requestId) : null;
  if (!grant || !request) throw new ElevateError('not_found', `There is no grant ${grantId}.`, { details: { grantId } });
  const scope = await store.getScope(request.scopeName);
  let reason: GrantEndReason;
  if (request.requesterId === person.id) reason = 'ended_by_requester';
  else if (scope && isEligibleApprover(scope, person.id, request)) reason = 'revoked_by_reviewer';
  else if (person.isAdmin) reason = 'revoked_by_admin';
  else {
    throw new ElevateError('forbidden', 'Only the requester, an approver of this scope or an admin can end this grant.', {
      details: { grantId, actor: person.id },
    });
  }
  return endGrant(deps, grantId, reason, person.id);
}
