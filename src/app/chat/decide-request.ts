import { reviewRequest, type ReviewRequestInput, type ReviewRequestResult } from '../review-request.ts';
import { buildRequestView } from './build-request-view.ts';
import type { ChatDeps } from './chat-deps.ts';
import { issueAndDeliver } from './issue-and-deliver.ts';
import { notifyPrincipal } from './notify-principal.ts';
import { refreshRequestMessages } from './refresh-messages.ts';
import { sendStepUpLink } from './send-step-up-link.ts';

/**
 * An approver's click, end to end: the core records it (or refuses it, throwing, with nothing
 * changed), every approval message on every platform shows the new state, and a decision is told
 * to the requester; an approval then issues and delivers the grant, or, when the scope needs the
 * requester's MFA, sends the requester a link to verify first.
 *
 * An approval that needs the approver's own fresh MFA records nothing (`step_up_required`): a
 * click from chat (no `authentication` given) gets a one-time link privately; a caller that gave
 * its own evidence (the API, with its token's claims) answers the challenge itself.
 */
export async function decideRequest(deps: ChatDeps, input: ReviewRequestInput): Promise<ReviewRequestResult> {
  const result = await reviewRequest(deps, input);
  if (result.outcome.kind === 'step_up_required') {
    if (input.authentication === undefined) await sendStepUpLink(deps, { purpose: 'approve', requestId: result.request.id, principalId: result.reviewer.id });
    return result;
  }
  await refreshRequestMessages(deps, result.request.id);
  if (result.outcome.kind === 'recorded') return result;
  // Queued now, it is said after the request's confirmation and before the grant's notice; the
  // token is issued meanwhile rather than after the confirmation has gone out.
  const told = notifyPrincipal(deps, result.request.requesterId, { kind: 'request_decided', view: await buildRequestView(deps.store, result.request.id) });
  try {
    if (result.outcome.kind !== 'approved') return result;
    if (result.request.status === 'verifying') await sendStepUpLink(deps, { purpose: 'receive', requestId: result.request.id, principalId: result.request.requesterId });
    else await issueAndDeliver(deps, result.request.id);
  } finally {
    await told;
  }
  return result;
}
