import type { RequestView } from '../../ports/chat-platform.ts';
import { reviewRequest, type ReviewRequestInput, type ReviewRequestResult } from '../review-request.ts';
import { buildRequestView, requestViewFrom } from './build-request-view.ts';
import type { ChatDeps } from './chat-deps.ts';
import { issueAndDeliver } from './issue-and-deliver.ts';
import { notifyPrincipal, notifyPrincipalInTurn } from './notify-principal.ts';
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
  const result = await reviewRequest(deps, input, { openIssuingIntent: true });
  if (result.outcome.kind === 'step_up_required') {
    if (input.authentication === undefined) await sendStepUpLink(deps, { purpose: 'approve', requestId: result.request.id, principalId: result.reviewer.id });
    return result;
  }
  if (result.outcome.kind === 'approved' && result.request.status !== 'verifying') {
    await issueWhileTelling(deps, result);
    return result;
  }
  await refreshRequestMessages(deps, result.request.id);
  if (result.outcome.kind === 'recorded') return result;
  const told = notifyPrincipal(deps, result.request.requesterId, { kind: 'request_decided', view: await buildRequestView(deps.store, result.request.id) });
  try {
    if (result.outcome.kind === 'approved') await sendStepUpLink(deps, { purpose: 'receive', requestId: result.request.id, principalId: result.request.requesterId });
  } finally {
    await told;
  }
  return result;
}

/**
 * An approval that issues at once. The requester waits for the token, so the exchange goes
 * first: the messages and the requester's notice of the decision are read and sent while the AS
 * answers, not before the exchange starts (on the embedded database, whose statements run one at
 * a time, those reads made the exchange wait tens of milliseconds). The decision's notice takes
 * its place in the requester's queue before the exchange starts, so it still arrives before the
 * grant's, and its reads go before the messages': the grant's notice waits for it. Refreshes of one request run in order, each from the store as it is when its turn
 * comes, so the messages end on the newest state; when the exchange was quicker than the first
 * refresh's reads, the messages go straight to the grant (see `refreshRequestMessages`).
 */
async function issueWhileTelling(deps: ChatDeps, result: ReviewRequestResult): Promise<void> {
  const { request, intent } = result;
  const telling: Promise<unknown>[] = [];
  let decided: Promise<RequestView> | null = null;
  const issued = await issueAndDeliver(deps, request.id, {
    opened: intent,
    onExchangeStarting: () => {
      // The notice's reads first: the grant's notice waits for it. Then the messages'. With the
      // intent written by the approval, the view is what that transaction wrote: only the names are read.
      const view = intent ? requestViewFrom(deps.store, { request, scope: result.scope, reviews: result.reviews, grant: intent.grant }) : buildRequestView(deps.store, request.id);
      decided = view;
      const refreshAfterwards = () => refreshRequestMessages(deps, request.id);
      telling.push(
        notifyPrincipalInTurn(deps, request.requesterId, request.id, async () => ({ kind: 'request_decided', view: await view })),
        // The messages show that same view, in their turn from now; without it their reads wait for the notice's.
        intent ? refreshRequestMessages(deps, request.id, view) : view.then(refreshAfterwards, refreshAfterwards),
      );
    },
    // Read after the intent was recorded: only the grant has changed since. An extension's view
    // also shows the grant it extends, which the activation ends, so it is read again.
    viewWithGrant: async (grant) => (decided === null || request.extendsGrantId !== null ? null : { ...(await decided), grant }),
  }).then(
    () => null,
    (error: unknown) => ({ error }),
  );
  // Every one is waited for, even after a failure, so none can fail unobserved; then the first failure is thrown.
  const told = await Promise.allSettled(telling);
  if (issued) throw issued.error;
  for (const result of told) if (result.status === 'rejected') throw result.reason;
}
