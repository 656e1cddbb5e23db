import { reviewRequest, type ReviewRequestInput, type ReviewRequestResult } from '../review-request.ts';
import { buildRequestView } from './build-request-view.ts';
import type { ChatDeps } from './chat-deps.ts';
import { issueAndDeliver } from './issue-and-deliver.ts';
import { notifyPrincipal } from './notify-principal.ts';
import { refreshRequestMessages } from './refresh-messages.ts';

/**
 * An approver's click, end to end: the core records it (or refuses it, throwing, with nothing
 * changed), every approval message on every platform shows the new state, and a decision is told
 * to the requester; an approval then issues and delivers the grant.
 */
export async function decideRequest(deps: ChatDeps, input: ReviewRequestInput): Promise<ReviewRequestResult> {
  const result = await reviewRequest(deps, input);
  await refreshRequestMessages(deps, result.request.id);
  if (result.outcome.kind === 'recorded') return result;
  // Queued now, it is said after the request's confirmation and before the grant's notice; the
  // token is issued meanwhile rather than after the confirmation has gone out.
  const told = notifyPrincipal(deps, result.request.requesterId, { kind: 'request_decided', view: await buildRequestView(deps.store, result.request.id) });
  try {
    if (result.outcome.kind === 'approved') await issueAndDeliver(deps, result.request.id);
  } finally {
    await told;
  }
  return result;
}
