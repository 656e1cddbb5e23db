import type { ElevationRequest } from '../../domain/request.ts';
import { describeError } from '../describe-error.ts';
import type { IdempotencyInput, RequestElevationInput, RequestElevationResult } from '../request-elevation.ts';
import { requestElevation, requestElevationIdempotently } from '../request-elevation.ts';
import { buildRequestView } from './build-request-view.ts';
import type { ChatDeps } from './chat-deps.ts';
import { issueAndDeliver } from './issue-and-deliver.ts';
import { noticeKey, notifyPrincipal } from './notify-principal.ts';
import { publishRequest, type PublishResult } from './publish-request.ts';
import { sendStepUpLink } from './send-step-up-link.ts';

export interface SubmitResult extends RequestElevationResult {
  /** Where the approval message went; null when policy decided and no review is needed. */
  published: PublishResult | null;
}

/**
 * Tells the requester how their request went (a chat reply); given to {@link submitRequest} so the
 * reply takes its place among the notices about the request instead of racing them.
 */
export type ConfirmToRequester = (result: SubmitResult) => Promise<void>;

/**
 * A request made in chat, end to end: validate and store it (a refused request throws and stores
 * nothing), then either publish it to the reviewer channels or act on policy's decision — tell
 * the requester about an automatic denial, or issue and deliver an automatic approval.
 *
 * `confirm` is queued under the request's notice key before the approval message can be seen,
 * and runs once it is posted: an approver who clicks at once gets their decision's notice queued
 * behind it, so the requester reads "sent to the reviewers" before "approved", never after.
 */
export async function submitRequest(deps: ChatDeps, input: RequestElevationInput, confirm?: ConfirmToRequester): Promise<SubmitResult> {
  return actOnNewRequest(deps, await requestElevation(deps, input), confirm);
}

export type IdempotentSubmitOutcome = ({ replayed: false } & SubmitResult) | { replayed: true; request: ElevationRequest };

/**
 * {@link submitRequest} under an API caller's `Idempotency-Key`: a replay returns the request the
 * key already names and publishes nothing again.
 */
export async function submitRequestIdempotently(deps: ChatDeps, input: RequestElevationInput, idempotency: IdempotencyInput): Promise<IdempotentSubmitOutcome> {
  const outcome = await requestElevationIdempotently(deps, input, idempotency);
  if (outcome.replayed) return outcome;
  return { ...(await actOnNewRequest(deps, outcome)), replayed: false };
}

/** Publishes a request just stored, or acts on the decision made without reviewers (also for extensions). */
export async function actOnNewRequest(deps: ChatDeps, result: RequestElevationResult, confirm?: ConfirmToRequester): Promise<SubmitResult> {
  const { request, decision } = result;
  const key = noticeKey(request.requesterId, request.id);
  if (decision.outcome === 'review') {
    return deps.notices.run(key, async () => {
      const submitted = { ...result, published: await publishRequest(deps, request.id) };
      await confirmSafely(deps, confirm, submitted);
      return submitted;
    });
  }
  const submitted = { ...result, published: null };
  await notifyPrincipal(deps, request.requesterId, { kind: 'request_decided', view: await buildRequestView(deps.store, request.id) });
  await deps.notices.run(key, () => confirmSafely(deps, confirm, submitted));
  if (decision.outcome === 'auto_approve') {
    if (request.status === 'verifying') await sendStepUpLink(deps, { purpose: 'receive', requestId: request.id, principalId: request.requesterId });
    else await issueAndDeliver(deps, request.id);
  }
  return submitted;
}

/** A reply that cannot be sent is logged: the request is made, and its notices must still follow. */
async function confirmSafely(deps: ChatDeps, confirm: ConfirmToRequester | undefined, result: SubmitResult): Promise<void> {
  if (!confirm) return;
  try {
    await confirm(result);
  } catch (error) {
    deps.logger.warn({ err: describeError(error), request_id: result.request.id }, 'could not confirm a request to its requester');
  }
}
