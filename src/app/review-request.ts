import type { AuditEventInput } from '../domain/audit.ts';
import { ElevateError } from '../domain/errors.ts';
import type { Principal } from '../domain/principal.ts';
import type { ElevationRequest } from '../domain/request.ts';
import { evaluateReview, type Review, type ReviewDecision, type ReviewOutcome } from '../domain/review.ts';
import type { ScopeDefinition } from '../domain/scope.ts';
import { resolveActor, type Actor, describeActor } from './actor.ts';
import type { CoreDeps } from './deps.ts';
import { addSeconds } from '../domain/clock.ts';
import { describeEvidence, requesterMustVerify, type AuthenticationEvidence } from '../domain/step-up.ts';
import { appendVerificationRequired } from './step-up/verification-required.ts';
import { newIssuingIntent, type IssuingIntent } from './issue-grant.ts';

export const MAX_COMMENT_LENGTH = 500;

export interface ReviewRequestInput {
  requestId: string;
  actor: Actor;
  decision: ReviewDecision;
  comment?: string;
  /**
   * The sign-in that vouches for an approval on a scope that needs approver MFA: an API caller's
   * token claims (null when it has none), or a step-up just completed. Left out, the approver's
   * last accepted sign-in on record is used (a click in chat).
   */
  authentication?: AuthenticationEvidence | null;
}

export interface ReviewRequestResult {
  request: ElevationRequest;
  scope: ScopeDefinition;
  reviewer: Principal;
  outcome: ReviewOutcome;
  reviews: Review[];
  /** The `issuing` grant written with the approval, when `openIssuingIntent` asked for it; see `issueGrant`. */
  intent?: IssuingIntent;
}

export interface ReviewRequestOptions {
  /**
   * An approval that issues at once (no requester verification, not an extension) also writes
   * its `issuing` grant, in the same transaction and the same turn of the audit chain: the
   * caller then exchanges the token without a second transaction (`issueGrant`'s `opened`).
   */
  openIssuingIntent?: boolean;
}

/**
 * Records one approver's decision. The request row is locked for the whole check-and-write, so
 * concurrent clicks are applied one after the other: the N-th distinct approval approves exactly
 * once, a denial denies, and anything after the decision is refused without changing a thing.
 */
export async function reviewRequest(deps: CoreDeps, input: ReviewRequestInput, options: ReviewRequestOptions = {}): Promise<ReviewRequestResult> {
  const { store, clock } = deps;
  const reviewer = await resolveActor(store, input.actor);
  const comment = cleanComment(input.comment);

  const result = await store.transaction(async (tx): Promise<ReviewRequestResult> => {
    const request = await tx.lockRequest(input.requestId);
    if (!request) {
      throw new ElevateError('not_found', 'That request does not exist.', { details: { requestId: input.requestId } });
    }
    const scope = await tx.getScope(request.scopeName);
    if (!scope) {
      throw new ElevateError('unknown_scope', `Scope ${request.scopeName} no longer exists; this request cannot be reviewed.`, {
        details: { requestId: request.id, scope: request.scopeName },
      });
    }
    const previous = await tx.listReviews(request.id);
    const now = clock.now();
    const needsEvidence = scope.mfa?.approver === true && input.decision === 'approve';
    const authentication = !needsEvidence ? null : input.authentication !== undefined ? input.authentication : await tx.getLastAuthentication(reviewer.id);
    const outcome = evaluateReview({ request, scope, previous, approverId: reviewer.id, decision: input.decision, now, authentication });
    const extended = request.extendsGrantId === null ? null : await tx.getGrant(request.extendsGrantId);
    if (extended && outcome.kind !== 'denied' && (extended.status !== 'active' || extended.endsAt.getTime() <= now.getTime())) {
      // The grant ended while its extension waited: there is nothing left to extend.
      throw new ElevateError('grant_inactive', `Grant ${extended.id}, which this request extends, has ended; the extension can no longer be approved.`, {
        details: { requestId: request.id, grantId: extended.id },
      });
    }
    // Nothing is written: the approver is asked to verify first (see `decideRequest`).
    if (outcome.kind === 'step_up_required') return { request, scope, reviewer, outcome, reviews: previous };

    const review: Review = { requestId: request.id, approverId: reviewer.id, decision: input.decision, comment, createdAt: now };
    if (!(await tx.insertReview(review))) {
      throw new ElevateError('already_reviewed', 'You have already reviewed this request.', { details: { requestId: request.id } });
    }
    // Appended together with the decision's record, if any: one turn of the audit chain's lock.
    const audits: AuditEventInput[] = [
      {
        type: 'review.recorded',
        actor: reviewer.id,
        requestId: request.id,
        data: { decision: input.decision, comment, ...describeActor(input.actor), ...(authentication ? { authentication: describeEvidence(authentication) } : {}) },
      },
    ];

    let updated = request;
    let intent: IssuingIntent | undefined;
    const reviews = [...previous, review];
    if (outcome.kind === 'approved' || outcome.kind === 'denied') {
      const requesterKind = outcome.kind === 'approved' ? ((await tx.getPrincipal(request.requesterId))?.kind ?? 'human') : 'human';
      const verifying = outcome.kind === 'approved' && requesterMustVerify(scope.mfa, requesterKind);
      const status = verifying ? 'verifying' : outcome.kind;
      const decisionNote = outcome.kind === 'denied' ? comment ?? 'Denied without a comment.' : null;
      // The requester's verification gets the scope's whole pending TTL, counted from the approval.
      // An extension's verification cannot outlast the grant it extends.
      const verifyUntil = extended && extended.endsAt.getTime() < addSeconds(now, scope.pendingTtlSec).getTime() ? extended.endsAt : addSeconds(now, scope.pendingTtlSec);
      const patch = { status, decidedAt: now, decisionNote, ...(verifying ? { pendingUntil: verifyUntil } : {}) } as const;
      if (!(await tx.updateRequest(request.id, 'pending', patch))) {
        throw new ElevateError('already_decided', 'This request was decided a moment ago.', { details: { requestId: request.id } });
      }
      updated = { ...request, ...patch };
      audits.push({
        type: outcome.kind === 'approved' ? 'request.approved' : 'request.denied',
        actor: reviewer.id,
        requestId: request.id,
        data: outcome.kind === 'approved' ? { approvals: outcome.approvals, required: outcome.required } : { comment },
      });
      if (options.openIssuingIntent && outcome.kind === 'approved' && !verifying && request.extendsGrantId === null) {
        const opened = newIssuingIntent(deps, { request: updated, scope, reviews, requesterKind });
        await tx.insertGrant(opened.intent.grant);
        audits.push(opened.audit);
        intent = opened.intent;
      }
      await tx.appendAudits(audits);
      if (verifying) await appendVerificationRequired(tx, updated, scope);
    } else {
      await tx.appendAudits(audits);
    }
    return { request: updated, scope, reviewer, outcome, reviews, ...(intent ? { intent } : {}) };
  });
  const { outcome, request } = result;
  if ((outcome.kind === 'approved' || outcome.kind === 'denied') && request.decidedAt) {
    deps.metrics?.decided(outcome.kind, (request.decidedAt.getTime() - request.createdAt.getTime()) / 1000);
  }
  return result;
}

function cleanComment(comment: string | undefined): string | null {
  const text = (comment ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (text === '') return null;
  if (text.length > MAX_COMMENT_LENGTH) {
    throw new ElevateError('invalid_input', `The comment is too long; keep it under ${MAX_COMMENT_LENGTH} characters.`);
  }
  return text;
}
