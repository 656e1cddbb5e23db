import { ElevateError } from './errors.ts';
import type { ElevationRequest } from './request.ts';
import { describeStatus } from './request.ts';
import type { ScopeDefinition } from './scope.ts';
import { isEligibleApprover } from './scope.ts';
import { checkAuthentication, stepUpChallenge, type AuthenticationEvidence, type StepUpChallenge } from './step-up.ts';

export type ReviewDecision = 'approve' | 'deny';

export interface Review {
  requestId: string;
  approverId: string;
  decision: ReviewDecision;
  comment: string | null;
  createdAt: Date;
}

/** What a valid review does to its request. */
export type ReviewOutcome =
  | { kind: 'recorded'; approvals: number; required: number }
  | { kind: 'approved'; approvals: number; required: number }
  | { kind: 'denied' }
  /** An approval on a scope that needs approver MFA, without a fresh enough accepted sign-in: nothing is recorded. */
  | { kind: 'step_up_required'; challenge: StepUpChallenge; problem: string };

/**
 * Checks a reviewer's click against the request, its scope and the reviews so far, and says what
 * it changes. Pure: the caller applies the outcome inside a transaction that holds the request.
 * Refusals are errors with codes, in the order a person would want to hear them.
 */
export function evaluateReview(input: {
  request: ElevationRequest;
  scope: ScopeDefinition;
  previous: readonly Review[];
  approverId: string;
  decision: ReviewDecision;
  now: Date;
  /** The approver's sign-in that vouches for this approval, when the scope asks for one. */
  authentication?: AuthenticationEvidence | null;
}): ReviewOutcome {
  const { request, scope, previous, approverId, decision, now } = input;
  const details = { requestId: request.id, approverId };
  if (approverId === request.requesterId) {
    throw new ElevateError('self_approval', 'You cannot review your own request; another approver has to.', { details });
  }
  if (!isEligibleApprover(scope, approverId, request)) {
    throw new ElevateError('not_an_approver', `You are not an approver for scope ${scope.name}.`, { details });
  }
  if (request.status !== 'pending') {
    throw new ElevateError('already_decided', `This request is already ${describeStatus(request.status)}.`, { details });
  }
  if (now.getTime() >= request.pendingUntil.getTime()) {
    throw new ElevateError('request_expired', 'This request expired before it was reviewed; ask the requester to send a new one.', { details });
  }
  if (previous.some((review) => review.approverId === approverId)) {
    throw new ElevateError('already_reviewed', 'You have already reviewed this request.', { details });
  }
  if (decision === 'deny') return { kind: 'denied' };
  // Checked last, so that only an approver who could approve right now is asked to verify.
  if (scope.mfa?.approver) {
    const check = checkAuthentication(scope.mfa, input.authentication ?? null, now);
    if (!check.ok) return { kind: 'step_up_required', challenge: stepUpChallenge(scope.mfa), problem: check.message };
  }
  const approvals = previous.filter((review) => review.decision === 'approve').length + 1;
  const required = request.approvalsRequired;
  return approvals >= required ? { kind: 'approved', approvals, required } : { kind: 'recorded', approvals, required };
}
