import type { RequestElevationInput, RequestElevationResult } from '../request-elevation.ts';
import { requestElevation } from '../request-elevation.ts';
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
  const result = await requestElevation(deps, input);
  const { request, decision } = result;
  if (decision.outcome === 'review') return { ...result, published: await publishRequest(deps, request.id) };
  await notifyPrincipal(deps, request.requesterId, { kind: 'request_decided', view: await buildRequestView(deps.store, request.id) });
  if (decision.outcome === 'auto_approve') await issueAndDeliver(deps, request.id);
  return { ...result, published: null };
}
