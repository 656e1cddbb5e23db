import { backoffDelayMs } from '../domain/backoff.ts';
import { ElevateError, isElevateError } from '../domain/errors.ts';
import type { Grant, GrantEndReason } from '../domain/grant.ts';
import { isEligibleApprover } from '../domain/scope.ts';
import { resolveActor, type Actor } from './actor.ts';
import type { GrantDeps } from './deps.ts';
import { describeError } from './issue-grant.ts';

export type EndGrantResult =
  | { kind: 'revoked'; grant: Grant }
  /** The AS could not be reached; the grant stays `revoking` and the sweeper retries. */
  | { kind: 'revocation_pending'; grant: Grant }
  /** Already ended or never issued: nothing to do, and nothing was done. */
  | { kind: 'unchanged'; grant: Grant };

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
    return { ...grant, ...patch };
  });
  if (marked.status !== 'revoking') return { kind: 'unchanged', grant: marked };
  return completeRevocation(deps, marked);
}

/**
 * Revokes a grant already marked `revoking` and records the result. Safe to call again after a
 * crash or a failed attempt: RFC 7009 revocation is idempotent at the AS and the final write is a
 * compare-and-set on `revoking`.
 */
export async function completeRevocation(deps: GrantDeps, grant: Grant): Promise<EndGrantResult> {
  const { store, clock, issuer, cipher, logger } = deps;
  const log = logger.child({ grant_id: grant.id, request_id: grant.requestId });
  try {
    if (grant.tokenSealed !== null) await issuer.revoke(cipher.open(grant.tokenSealed, grant.id));
  } catch (error) {
    const attempts = grant.revokeAttempts + 1;
    const code = isElevateError(error) ? error.code : 'internal';
    const nextAttemptAt = new Date(clock.now().getTime() + backoffDelayMs(attempts));
    log.warn({ err: describeError(error), attempts, next_attempt_at: nextAttemptAt.toISOString() }, 'revocation failed; will retry');
    const patch = { revokeAttempts: attempts, nextAttemptAt, lastError: code };
    await store.transaction((tx) => tx.updateGrant(grant.id, 'revoking', patch));
    return { kind: 'revocation_pending', grant: { ...grant, ...patch } };
  }
  const now = clock.now();
  const patch = {
    status: 'revoked' as const,
    tokenSealed: null,
    revokedAt: now,
    revocationLagMs: now.getTime() - grant.endsAt.getTime(),
    nextAttemptAt: null,
    lastError: null,
  };
  const done = await store.transaction(async (tx) => {
    if (!(await tx.updateGrant(grant.id, 'revoking', patch))) return false;
    await tx.appendAudit({
      type: 'grant.revoked',
      actor: 'system',
      requestId: grant.requestId,
      grantId: grant.id,
      data: { reason: grant.endReason, lagMs: patch.revocationLagMs },
    });
    return true;
  });
  if (!done) return { kind: 'unchanged', grant: (await store.getGrant(grant.id)) ?? grant };
  log.info({ reason: grant.endReason, lag_ms: patch.revocationLagMs }, 'grant revoked');
  return { kind: 'revoked', grant: { ...grant, ...patch } };
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
  else if (scope && isEligibleApprover(scope, person.id)) reason = 'revoked_by_reviewer';
  else if (person.isAdmin) reason = 'revoked_by_admin';
  else {
    throw new ElevateError('forbidden', 'Only the requester, an approver of this scope or an admin can end this grant.', {
      details: { grantId, actor: person.id },
    });
  }
  return endGrant(deps, grantId, reason, person.id);
}
