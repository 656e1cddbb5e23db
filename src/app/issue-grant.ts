import { ElevateError, isElevateError } from '../domain/errors.ts';
import { newGrant, type Grant } from '../domain/grant.ts';
import { isGranted } from '../domain/request.ts';
import { describeEvidence } from '../domain/step-up.ts';
import type { GrantDeps } from './deps.ts';
import { describeError } from './describe-error.ts';
import { completeRevocation } from './end-grant.ts';
import type { StoreTx } from '../ports/store.ts';

/** `lastError` of an extension's grant whose predecessor ended before it could be issued. */
export const EXTENDED_GRANT_ENDED = 'extended_grant_ended';

/** Re-exported for callers that log failures of this use case. */
export { describeError };

export interface IssueGrantResult {
  grant: Grant;
  /** False when the grant already existed: this call changed nothing. */
  created: boolean;
}

export interface IssueGrantHooks {
  /**
   * Called once the `issuing` intent is committed, as the exchange starts: a caller starts here
   * what can run while the AS answers (reading and showing the decision), so the exchange waits
   * for none of it.
   */
  onExchangeStarting?(): void;
}

/**
 * Turns an approved request into a live grant through the token issuer. The `issuing` row is
 * committed before the exchange is attempted, so a crash in between leaves a visible intent
 * instead of an untracked token, and a second call for the same request returns the existing
 * grant instead of exchanging twice.
 */
export async function issueGrant(deps: GrantDeps, requestId: string, hooks: IssueGrantHooks = {}): Promise<IssueGrantResult> {
  const { store, clock, ids, issuer, cipher, logger } = deps;

  const intent = await store.transaction(async (tx) => {
    const request = await tx.lockRequest(requestId);
    if (!request) throw new ElevateError('not_found', 'That request does not exist.', { details: { requestId } });
    if (!isGranted(request.status)) {
      throw new ElevateError('not_approved', `Request ${requestId} is ${request.status}; only approved requests get a grant.`, {
        details: { requestId, status: request.status },
      });
    }
    const existing = await tx.getGrantByRequest(requestId);
    if (existing) return { grant: existing, created: false, request, scope: null, approvers: [] as string[] };
    const scope = await tx.getScope(request.scopeName);
    if (!scope) throw new ElevateError('unknown_scope', `Scope ${request.scopeName} no longer exists.`, { details: { requestId } });
    const reviews = await tx.listReviews(requestId);
    const approvers = request.status === 'auto_approved' ? ['policy'] : reviews.filter((r) => r.decision === 'approve').map((r) => r.approverId);
    // The window starts at approval, not at request time; after a requester's step-up, at the verification.
    const startsAt = request.requesterAuthentication?.verifiedAt ?? request.decidedAt ?? clock.now();
    const grant = newGrant({ id: ids.grantId(), requestId, startsAt, durationSec: request.durationSec });
    if (request.extendsGrantId !== null) {
      // An extension's grant runs from now until the old grant's end plus the extension.
      const extended = await tx.lockGrant(request.extendsGrantId);
      if (!extended || extended.status !== 'active' || extended.endsAt.getTime() <= startsAt.getTime()) {
        const failed = { ...grant, status: 'issue_failed' as const, lastError: EXTENDED_GRANT_ENDED };
        await tx.insertGrant(failed);
        await tx.appendAudit({ type: 'grant.issue_failed', actor: 'system', requestId, grantId: grant.id, data: { error: EXTENDED_GRANT_ENDED, extendsGrantId: request.extendsGrantId } });
        return { grant: failed, created: false, request, scope: null, approvers, extendedEnded: true };
      }
      grant.endsAt = new Date(extended.endsAt.getTime() + request.durationSec * 1000);
    }
    // Read here rather than after the commit: one round trip fewer between the approval and the exchange.
    const requesterKind = (await tx.getPrincipal(request.requesterId))?.kind ?? 'human';
    await tx.insertGrant(grant);
    await tx.appendAudit({
      type: 'grant.issuing',
      actor: 'system',
      requestId,
      grantId: grant.id,
      data: {
        scope: scope.name,
        audience: scope.audience,
        startsAt: grant.startsAt.toISOString(),
        endsAt: grant.endsAt.toISOString(),
        approvers,
        ...(request.extendsGrantId !== null ? { extendsGrantId: request.extendsGrantId } : {}),
      },
    });
    return { grant, created: true, request, scope, approvers, requesterKind };
  });
  if ('extendedEnded' in intent) {
    throw new ElevateError('grant_inactive', `The grant this extension was for has ended, so there is nothing to extend; ask for a new elevation.`, {
      details: { requestId, grantId: intent.grant.id },
    });
  }
  if (!intent.created || !intent.scope) return { grant: intent.grant, created: false };

  const { grant, request, scope, approvers } = intent;
  const log = logger.child({ grant_id: grant.id, request_id: requestId });
  hooks.onExchangeStarting?.();
  try {
    const token = await issuer.exchange({
      grantId: grant.id,
      requester: { id: request.requesterId, kind: intent.requesterKind },
      approvers,
      scope,
      windowEndsAt: grant.endsAt,
      authentication: request.requesterAuthentication,
    });
    const now = clock.now();
    const patch = {
      status: 'active' as const,
      issuedAt: now,
      tokenSealed: cipher.seal(token.accessToken, grant.id),
      tokenType: token.tokenType,
      asExpiresAt: token.expiresInSec === null ? null : new Date(now.getTime() + token.expiresInSec * 1000),
    };
    let superseded: Grant | null = null;
    const activated = await store.transaction(async (tx) => {
      if (!(await tx.updateGrant(grant.id, 'issuing', patch))) return false;

      await tx.appendAudit({
        type: 'grant.issued',
        actor: 'system',
        requestId,
        grantId: grant.id,
        data: {
          scope: token.scope ?? scope.oauthScope,
          audience: scope.audience,
          endsAt: grant.endsAt.toISOString(),
          asExpiresAt: patch.asExpiresAt?.toISOString() ?? null,
          ...(request.requesterAuthentication ? { authentication: describeEvidence(request.requesterAuthentication) } : {}),
          ...(request.extendsGrantId !== null ? { extendsGrantId: request.extendsGrantId } : {}),
        },
      });
      // The grant an extension replaces starts ending in the same commit that records its successor:
      // never none, and two only until the old one's revocation is confirmed (or the next sweep retries it).
      if (request.extendsGrantId !== null) superseded = await supersede(tx, request.extendsGrantId, grant.id, now);
      return true;
    });
    if (!activated) {
      // Someone moved the grant on (e.g. revoked it) while we were exchanging: the token must not live.
      log.warn('grant changed during token exchange; revoking the new token');
      await issuer.revoke(token.accessToken);
      return { grant: (await store.getGrant(grant.id)) ?? grant, created: true };
    }
    log.info({ ends_at: grant.endsAt.toISOString() }, 'grant issued');
    deps.metrics?.grantIssued(scope.name, 'issued');
    if (superseded) await completeRevocation(deps, superseded);
    return { grant: { ...grant, ...patch }, created: true };
  } catch (error) {
    const code = isElevateError(error) ? error.code : 'internal';
    log.error({ err: describeError(error) }, 'token exchange failed');
    deps.metrics?.grantIssued(scope.name, 'failed');
    await store.transaction(async (tx) => {
      if (!(await tx.updateGrant(grant.id, 'issuing', { status: 'issue_failed', lastError: code }))) return;
      await tx.appendAudit({ type: 'grant.issue_failed', actor: 'system', requestId, grantId: grant.id, data: { error: code, ...(isElevateError(error) ? { explanation: error.message } : {}) } });
    });
    throw error;
  }
}

/** Marks the grant an extension replaces `revoking` (reason `extended`), if it is still active. */
async function supersede(tx: StoreTx, grantId: string, successorId: string, now: Date): Promise<Grant | null> {
  const old = await tx.lockGrant(grantId);
  if (!old || old.status !== 'active') return null;
  const patch = { status: 'revoking' as const, endReason: 'extended' as const, nextAttemptAt: now };
  if (!(await tx.updateGrant(old.id, 'active', patch))) return null;
  await tx.appendAudit({ type: 'grant.revoking', actor: 'system', requestId: old.requestId, grantId: old.id, data: { reason: 'extended', successorGrantId: successorId } });
  return { ...old, ...patch };
}
