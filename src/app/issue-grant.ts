import { ElevateError, isElevateError } from '../domain/errors.ts';
import { newGrant, type Grant } from '../domain/grant.ts';
import { isGranted } from '../domain/request.ts';
import { describeEvidence } from '../domain/step-up.ts';
import type { GrantDeps } from './deps.ts';
import { describeError } from './describe-error.ts';
import { completeRevocation } from './end-grant.ts';
import type { StoreTx } from '../ports/store.ts';
import type { IssuedToken } from '../ports/token-issuer.ts';
import type { AuditEventInput } from '../domain/audit.ts';
import type { PrincipalKind } from '../domain/principal.ts';
import type { ElevationRequest } from '../domain/request.ts';
import type { Review } from '../domain/review.ts';
import type { ScopeDefinition } from '../domain/scope.ts';
import type { CoreDeps } from './deps.ts';

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
 * What the exchange needs of an approved request, written as its `issuing` grant in the same
 * transaction as the approval (see `reviewRequest`) or by `issueGrant` itself.
 */
export interface IssuingIntent {
  grant: Grant;
  request: ElevationRequest;
  scope: ScopeDefinition;
  approvers: string[];
  requesterKind: PrincipalKind;
}

/**
 * The `issuing` grant of a granted request and its `grant.issuing` audit record, for the caller
 * to write in the transaction that holds the request's lock. The window starts at approval, not
 * at request time; after a requester's step-up, at the verification. An extension's grant runs
 * from now until the grant it extends ends, plus the extension.
 */
export function newIssuingIntent(
  deps: Pick<CoreDeps, 'clock' | 'ids'>,
  input: { request: ElevationRequest; scope: ScopeDefinition; reviews: readonly Review[]; requesterKind: PrincipalKind; extended?: Grant },
): { intent: IssuingIntent; audit: AuditEventInput } {
  const { request, scope } = input;
  const approvers = request.status === 'auto_approved' ? ['policy'] : input.reviews.filter((r) => r.decision === 'approve').map((r) => r.approverId);
  const startsAt = request.requesterAuthentication?.verifiedAt ?? request.decidedAt ?? deps.clock.now();
  const grant = newGrant({ id: deps.ids.grantId(), requestId: request.id, startsAt, durationSec: request.durationSec });
  if (input.extended) grant.endsAt = new Date(input.extended.endsAt.getTime() + request.durationSec * 1000);
  const audit: AuditEventInput = {
    type: 'grant.issuing',
    actor: 'system',
    requestId: request.id,
    grantId: grant.id,
    data: {
      scope: scope.name,
      audience: scope.audience,
      startsAt: grant.startsAt.toISOString(),
      endsAt: grant.endsAt.toISOString(),
      approvers,
      ...(request.extendsGrantId !== null ? { extendsGrantId: request.extendsGrantId } : {}),
    },
  };
  return { intent: { grant, request, scope, approvers, requesterKind: input.requesterKind }, audit };
}

/**
 * Turns an approved request into a live grant through the token issuer. The `issuing` row is
 * committed before the exchange is attempted, so a crash in between leaves a visible intent
 * instead of an untracked token, and a second call for the same request returns the existing
 * grant instead of exchanging twice.
 *
 * `opened`: the intent the approval's own transaction already committed (`reviewRequest` with
 * `openIssuingIntent`), so the exchange starts without a second transaction.
 */
export async function issueGrant(deps: GrantDeps, requestId: string, hooks: IssueGrantHooks = {}, opened?: IssuingIntent): Promise<IssueGrantResult> {
  const recorded = opened ? { created: true as const, intent: opened } : await recordIssuingIntent(deps, requestId);
  if (!recorded.created) return { grant: recorded.grant, created: false };
  return exchangeAndActivate(deps, recorded.intent, hooks);
}

/** `issueGrant`'s own transaction: the request locked and checked, then its intent written. */
async function recordIssuingIntent(deps: GrantDeps, requestId: string): Promise<{ created: true; intent: IssuingIntent } | { created: false; grant: Grant }> {
  const { store } = deps;
  const recorded = await store.transaction(async (tx): Promise<{ created: true; intent: IssuingIntent } | { created: false; grant: Grant; extendedEnded?: true }> => {
    const request = await tx.lockRequest(requestId);
    if (!request) throw new ElevateError('not_found', 'That request does not exist.', { details: { requestId } });
    if (!isGranted(request.status)) {
      throw new ElevateError('not_approved', `Request ${requestId} is ${request.status}; only approved requests get a grant.`, {
        details: { requestId, status: request.status },
      });
    }
    const existing = await tx.getGrantByRequest(requestId);
    if (existing) return { created: false as const, grant: existing };
    const scope = await tx.getScope(request.scopeName);
    if (!scope) throw new ElevateError('unknown_scope', `Scope ${request.scopeName} no longer exists.`, { details: { requestId } });
    const reviews = await tx.listReviews(requestId);
    // Read here rather than after the commit: one round trip fewer between the approval and the exchange.
    const requesterKind = (await tx.getPrincipal(request.requesterId))?.kind ?? 'human';
    const extended = request.extendsGrantId === null ? undefined : ((await tx.lockGrant(request.extendsGrantId)) ?? undefined);
    const { intent, audit } = newIssuingIntent(deps, { request, scope, reviews, requesterKind, extended });
    if (request.extendsGrantId !== null && (!extended || extended.status !== 'active' || extended.endsAt.getTime() <= intent.grant.startsAt.getTime())) {
      const failed = { ...intent.grant, status: 'issue_failed' as const, lastError: EXTENDED_GRANT_ENDED };
      await tx.insertGrant(failed);
      await tx.appendAudit({ type: 'grant.issue_failed', actor: 'system', requestId, grantId: failed.id, data: { error: EXTENDED_GRANT_ENDED, extendsGrantId: request.extendsGrantId } });
      return { created: false as const, grant: failed, extendedEnded: true as const };
    }
    await tx.insertGrant(intent.grant);
    await tx.appendAudit(audit);
    return { created: true as const, intent };
  });
  if (!recorded.created && recorded.extendedEnded) {
    throw new ElevateError('grant_inactive', `The grant this extension was for has ended, so there is nothing to extend; ask for a new elevation.`, {
      details: { requestId, grantId: recorded.grant.id },
    });
  }
  return recorded;
}

/** The exchange at the AS, then the grant's activation (or its failure), each recorded. */
async function exchangeAndActivate(deps: GrantDeps, intent: IssuingIntent, hooks: IssueGrantHooks): Promise<IssueGrantResult> {
  const { issuer, logger } = deps;
  const { grant, request, scope, approvers } = intent;
  const log = logger.child({ grant_id: grant.id, request_id: request.id });
  hooks.onExchangeStarting?.();
  let token: IssuedToken;
  try {
    token = await issuer.exchange({
      grantId: grant.id,
      requester: { id: request.requesterId, kind: intent.requesterKind },
      approvers,
      scope,
      windowEndsAt: grant.endsAt,
      authentication: request.requesterAuthentication,
    });
  } catch (error) {
    log.error({ err: describeError(error) }, 'token exchange failed');
    await recordIssueFailure(deps, intent, error, {});
    throw error;
  }
  let activation: Activation;
  try {
    activation = await recordActivation(deps, intent, token);
  } catch (error) {
    // The AS issued a token that the store could not record (a deadlock, a lost connection, a
    // timed-out transaction): no sweep will ever find it, so it is revoked here, before the
    // failure is recorded. If even that fails, the record says so: the token then lasts until the
    // AS expires it, and an operator reading the trail knows which grant to look for.
    log.error({ err: describeError(error) }, 'the grant could not be activated after the token exchange; revoking the token');
    const tokenRevoked = await issuer.revoke(token.accessToken).then(
      () => true,
      (revokeError: unknown) => {
        log.error({ err: describeError(revokeError), as_expires_in_sec: token.expiresInSec }, 'could not revoke the token of a grant whose activation failed; it lasts until the AS expires it');
        return false;
      },
    );
    await recordIssueFailure(deps, intent, error, { tokenRevoked });
    throw error;
  }
  // Past this point the token is on record (or, for a grant that moved on, revoked just below):
  // a later failure, such as the replaced grant's revocation, must not touch it.
  if (!activation.activated) {
    // Someone moved the grant on (e.g. revoked it) while we were exchanging: the token must not live.
    log.warn('grant changed during token exchange; revoking the new token');
    await issuer.revoke(token.accessToken).catch((revokeError: unknown) => {
      log.error({ err: describeError(revokeError), as_expires_in_sec: token.expiresInSec }, 'could not revoke the token of a grant that moved on during its exchange; it lasts until the AS expires it');
      throw revokeError;
    });
    return { grant: (await deps.store.getGrant(grant.id)) ?? grant, created: true };
  }
  log.info({ ends_at: grant.endsAt.toISOString() }, 'grant issued');
  deps.metrics?.grantIssued(scope.name, 'issued');
  if (activation.superseded) await completeRevocation(deps, activation.superseded);
  return { grant: { ...grant, ...activation.patch }, created: true };
}

interface Activation {
  /** False when the grant was no longer `issuing` (nothing was written). */
  activated: boolean;
  patch: Partial<Grant>;
  /** The grant an extension replaces, now `revoking`. */
  superseded: Grant | null;
}

/**
 * The activation's transaction alone: the token stored sealed and the grant `active`, recorded;
 * an extension's predecessor starts ending in the same commit. A throw here means the token the
 * AS issued is on record nowhere.
 */
async function recordActivation(deps: GrantDeps, intent: IssuingIntent, token: IssuedToken): Promise<Activation> {
  const { store, clock, cipher } = deps;
  const { grant, request, scope } = intent;
  const now = clock.now();
  const patch = {
    status: 'active' as const,
    issuedAt: now,
    tokenSealed: cipher.seal(token.accessToken, grant.id),
    tokenType: token.tokenType,
    asExpiresAt: token.expiresInSec === null ? null : new Date(now.getTime() + token.expiresInSec * 1000),
  };
  return store.transaction(async (tx): Promise<Activation> => {
    // The grant an extension replaces is locked before anything is appended: every transaction
    // takes its row locks before the audit chain's head (see audit-head.ts), or a sweep that
    // claimed that grant and an activation holding the head would wait for each other.
    const extended = request.extendsGrantId === null ? null : await tx.lockGrant(request.extendsGrantId);
    if (!(await tx.updateGrant(grant.id, 'issuing', patch))) return { activated: false, patch, superseded: null };

    await tx.appendAudit({
      type: 'grant.issued',
      actor: 'system',
      requestId: request.id,
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
    const superseded = extended ? await supersede(tx, extended, grant.id, now) : null;
    return { activated: true, patch, superseded };
  });
}

/**
 * The grant `issue_failed`, with the failure's code (and, after a failed activation, whether the
 * token the AS issued was revoked). A store that cannot take even this leaves the grant
 * `issuing`, which `markInterruptedIssues` settles later; the caller's error is the one thrown.
 */
async function recordIssueFailure(deps: GrantDeps, intent: IssuingIntent, error: unknown, extra: { tokenRevoked?: boolean }): Promise<void> {
  const { grant, request, scope } = intent;
  const code = isElevateError(error) ? error.code : 'internal';
  deps.metrics?.grantIssued(scope.name, 'failed');
  await deps.store
    .transaction(async (tx) => {
      if (!(await tx.updateGrant(grant.id, 'issuing', { status: 'issue_failed', lastError: code }))) return;
      await tx.appendAudit({
        type: 'grant.issue_failed',
        actor: 'system',
        requestId: request.id,
        grantId: grant.id,
        data: { error: code, ...(isElevateError(error) ? { explanation: error.message } : {}), ...extra },
      });
    })
    .catch((recordError: unknown) => deps.logger.error({ grant_id: grant.id, err: describeError(recordError) }, 'could not record the failed issuance; the grant stays issuing until it is marked interrupted'));
}

/** Marks the grant an extension replaces (locked by the caller) `revoking` (reason `extended`), if it is still active. */
async function supersede(tx: StoreTx, old: Grant, successorId: string, now: Date): Promise<Grant | null> {
  if (old.status !== 'active') return null;
  const patch = { status: 'revoking' as const, endReason: 'extended' as const, nextAttemptAt: now };
  if (!(await tx.updateGrant(old.id, 'active', patch))) return null;
  await tx.appendAudit({ type: 'grant.revoking', actor: 'system', requestId: old.requestId, grantId: old.id, data: { reason: 'extended', successorGrantId: successorId } });
  return { ...old, ...patch };
}
