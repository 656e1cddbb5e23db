import { ElevateError, isElevateError } from '../../domain/errors.ts';
import { describeStatus } from '../../domain/request.ts';
import { stepUpChallenge, type AuthenticationEvidence } from '../../domain/step-up.ts';
import type { RequestView } from '../../ports/chat-platform.ts';
import { resolveActor, type Actor } from '../actor.ts';
import { verifyRequester } from '../step-up/verify-requester.ts';
import { viewRequest } from '../view-request.ts';
import { buildRequestView } from './build-request-view.ts';
import type { ChatDeps } from './chat-deps.ts';
import { issueAndDeliver } from './issue-and-deliver.ts';
import { refreshRequestMessages } from './refresh-messages.ts';

export interface VerifyAndDeliverInput {
  requestId: string;
  actor: Actor;
  /** The sign-in the caller already has (an API token's claims); null when it says none. */
  evidence: AuthenticationEvidence | null;
}

/**
 * The requester's verification given directly (an API caller whose bearer token carries a fresh
 * enough multi-factor sign-in), end to end: checked and recorded by the core, the messages moved
 * on, the token issued and offered. Anyone who may not see the request is told it does not exist;
 * an approver or admin who is not its requester is refused. Evidence that falls short is
 * `step_up_required` with the scope's challenge in its details (`challenge`), and nothing changes.
 * Sent twice, the second call issues nothing more and answers the request as it is (its grant
 * included: a failed issue shows as the grant's `issue_failed`).
 */
export async function verifyAndDeliver(deps: ChatDeps, input: VerifyAndDeliverInput): Promise<RequestView> {
  const person = await resolveActor(deps.store, input.actor);
  const seen = await viewRequest(deps, input.actor, input.requestId);
  const principalId = person.id;
  if (seen.request.requesterId !== principalId) {
    throw new ElevateError('forbidden', 'Only the requester can verify to receive this token.', { details: { requestId: seen.request.id, principalId } });
  }
  if (input.evidence === null) {
    // Verified already (a retry): answered as it is, as `verifyRequester` answers a second verification.
    if (seen.request.requesterAuthentication !== null) return seen;
    refuseWithoutEvidence(seen);
  }

  let verified: boolean;
  try {
    ({ verified } = await verifyRequester(deps, { requestId: seen.request.id, principalId, evidence: input.evidence }));
  } catch (error) {
    if (!isElevateError(error, 'step_up_required')) throw error;
    const scope = await deps.store.getScope(seen.request.scopeName);
    throw new ElevateError('step_up_required', error.message, { cause: error, details: { ...error.details, ...(scope?.mfa ? { challenge: stepUpChallenge(scope.mfa) } : {}) } });
  }
  if (!verified) return buildRequestView(deps.store, seen.request.id);
  await refreshRequestMessages(deps, seen.request.id);
  await issueAndDeliver(deps, seen.request.id);
  return buildRequestView(deps.store, seen.request.id);
}

/** A token that says nothing of a sign-in: challenged while the request waits for a verification. */
function refuseWithoutEvidence(seen: RequestView): never {
  const { request, scope } = seen;
  if (request.status === 'verifying' && scope.mfa) {
    throw new ElevateError('step_up_required', 'Your access token does not say when you signed in (no auth_time); sign in again with multi-factor authentication.', {
      details: { requestId: request.id, problem: 'missing', challenge: stepUpChallenge(scope.mfa) },
    });
  }
  throw new ElevateError('already_decided', `This request is not waiting for a verification (it is ${describeStatus(request.status)}).`, { details: { requestId: request.id } });
}
