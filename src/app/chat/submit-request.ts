import type { ElevationRequest } from '../../domain/request.ts';
import type { IdempotencyInput, RequestElevationInput, RequestElevationResult } from '../request-elevation.ts';
import { requestElevation, requestElevationIdempotently } from '../request-elevation.ts';
import { buildRequestView } from './build-request-view.ts';
import type { ChatDeps } from './chat-deps.ts';
import { issueAndDeliver } from './issue-and-deliver.ts';
import { notifyPrincipal } from './notify-principal.ts';
import { publishRequest, type PublishResult } from './publish-request.ts';

export interface SubmitResult extends RequestElevationResult {
  /** Where the approval message went; null when policy decided and no review is needed. */
  published: PublishResult | null;
}

/**
 * A request made in chat, end to end: validate and store it (a refused request throws and stores
 * nothing), then either publish it to the reviewer channels or act on policy's decision — tell
 * the requester about an automatic denial, or issue and deliver an automatic approval.
 */
export async function submitRequest(deps: ChatDeps, input: RequestElevationInput): Promise<SubmitResult> {
  return actOnNewRequest(deps, await requestElevation(deps, input));
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

async function actOnNewRequest(deps: ChatDeps, result: RequestElevationResult): Promise<SubmitResult> {
  const { request, decision } = result;
  if (decision.outcome === 'review') return { ...result, published: await publishRequest(deps, request.id) };
  await notifyPrincipal(deps, request.requesterId, { kind: 'request_decided', view: await buildRequestView(deps.store, request.id) });
  if (decision.outcome === 'auto_approve') await issueAndDeliver(deps, request.id);
  return { ...result, published: null };
}
