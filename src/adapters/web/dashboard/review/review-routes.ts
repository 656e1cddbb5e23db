import { checkMayReview } from '../../../../app/chat/check-may-review.ts';
import { buildDecisionContext } from '../../../../app/chat/decision-context.ts';
import { decideRequest } from '../../../../app/chat/decide-request.ts';
import { reviewBreakGlassFromChat } from '../../../../app/chat/review-break-glass-from-chat.ts';
import { listBreakGlassReviews } from '../../../../app/list-break-glass-reviews.ts';
import { listReviewQueue } from '../../../../app/list-review-queue.ts';
import { viewRequest } from '../../../../app/view-request.ts';
import { isElevateError } from '../../../../domain/errors.ts';
import type { BreakGlassVerdict } from '../../../../domain/request.ts';
import { html } from '../../../../shared/html/html.ts';
import { httpStatusOf, isShowableStatus } from '../../../../http/error-status.ts';
import { noticeOf, withNotice } from '../notices.ts';
import { page, redirect, type PageAnswer, type PageCall, type PageRoute } from '../page-route.ts';
import { breakGlassSectionHtml } from './break-glass-cards.ts';
import { reviewCardHtml, reviewQueueHtml } from './review-page.ts';

export const REVIEW_PATH = '/review';

/**
 * A page that keeps itself current: the frame renders its `<main>` with `data-live="on"`, and
 * `/assets/live.js` then reloads the main content whenever the store changes. (`live` is the
 * suggested optional field of the page answer; until the frame reads it, it is ignored.)
 */
function livePage(answer: PageAnswer): PageAnswer & { live: true } {
  return { ...answer, live: true };
}

const reviewPage: PageRoute = {
  method: 'GET',
  path: REVIEW_PATH,
  access: 'signed_in',
  async handle(call) {
    const [items, breakGlass] = await Promise.all([listReviewQueue(call.deps, call.actor, call.now), listBreakGlassReviews(call.deps, call.actor)]);
    const body = reviewQueueHtml(items, { csrf: call.csrf, now: call.now, notice: noticeOf(call.url), breakGlass: breakGlassSectionHtml(breakGlass, { csrf: call.csrf, now: call.now }) });
    return livePage(page('Review', body, { section: 'review' }));
  },
};

/**
 * Approve, as `POST /requests/{id}/approve` of the API does, with the dashboard sign-in's own
 * evidence vouching for it on scopes that ask approvers for MFA: a sign-in too old or too weak
 * records nothing and sends the person to sign in again, after which the frame posts again.
 */
const approve: PageRoute = {
  method: 'POST',
  path: `${REVIEW_PATH}/{id}/approve`,
  access: 'signed_in',
  handle: (call) =>
    refusalsAsPages('Not approved', async () => {
      const requestId = await visibleRequestId(call);
      const result = await decideRequest(call.deps, { requestId, actor: call.actor, decision: 'approve', comment: call.form.get('comment') ?? undefined, authentication: call.viewer.evidence });
      if (result.outcome.kind === 'step_up_required') {
        const { challenge, problem } = result.outcome;
        return { kind: 'step_up', acrValues: challenge.acrValues, maxAgeSec: challenge.maxAgeSec, why: `Approving on scope ${result.scope.name} needs a fresh multi-factor sign-in. ${problem}` };
      }
      return redirect(withNotice(REVIEW_PATH, result.outcome.kind === 'recorded' ? 'approval_recorded' : 'approved'));
    }),
};

/** Deny with a reason the requester is shown: without one, the form comes back saying so. */
const deny: PageRoute = {
  method: 'POST',
  path: `${REVIEW_PATH}/{id}/deny`,
  access: 'signed_in',
  handle: (call) =>
    refusalsAsPages('Not denied', async () => {
      const requestId = await visibleRequestId(call);
      const reason = (call.form.get('reason') ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
      if (reason === '') return reasonMissing(call, requestId);
      await decideRequest(call.deps, { requestId, actor: call.actor, decision: 'deny', comment: reason });
      return redirect(withNotice(REVIEW_PATH, 'denied'));
    }),
};

/**
 * Acknowledge or flag a break-glass grant after the fact, as the API and chat do: recorded once
 * (the first review stands), shown on its chat messages, and a flag posted again to the scope's
 * broadcast channels.
 */
const breakGlassVerdict = (action: 'acknowledge' | 'flag', verdict: BreakGlassVerdict): PageRoute => ({
  method: 'POST',
  path: `${REVIEW_PATH}/{id}/${action}`,
  access: 'signed_in',
  handle: (call) =>
    refusalsAsPages(verdict === 'flagged' ? 'Not flagged' : 'Not acknowledged', async () => {
      const requestId = await visibleRequestId(call);
      await reviewBreakGlassFromChat(call.deps, { requestId, actor: call.actor, verdict, note: call.form.get('note') ?? undefined });
      return redirect(withNotice(REVIEW_PATH, verdict === 'flagged' ? 'break_glass_flagged' : 'break_glass_acknowledged'));
    }),
});

export const REVIEW_ROUTES: readonly PageRoute[] = [reviewPage, approve, deny, breakGlassVerdict('acknowledge', 'acknowledged'), breakGlassVerdict('flag', 'flagged')];

/**
 * The request's id once the viewer may see it at all (its requester, its approvers, admins);
 * anyone else is told it does not exist, before any other check could say more about it.
 */
async function visibleRequestId(call: PageCall): Promise<string> {
  const requestId = call.params['id']!;
  await viewRequest(call.deps, call.actor, requestId);
  return requestId;
}

/**
 * A denial without a reason: first every refusal the denial itself would meet (one's own request,
 * not an approver, already decided), so nobody is asked for a reason only to be refused; then
 * the card again, its reason field marked.
 */
async function reasonMissing(call: PageCall, requestId: string): Promise<PageAnswer> {
  await checkMayReview(call.deps, { requestId, actor: call.actor, decision: 'deny' });
  const view = await viewRequest(call.deps, call.actor, requestId);
  const context = await buildDecisionContext(call.deps.store, view.request, view.scope, call.now);
  const problem = 'A denial needs a reason: the requester is shown it. Write one and deny again.';
  const card = reviewCardHtml({ view, context, mine: null }, { csrf: call.csrf, now: call.now, denyProblem: problem });
  return page('Review', html`<p class="problem" role="alert">${problem}</p>${card}<p><a href="${REVIEW_PATH}">Back to the review queue</a></p>`, { status: 400, section: 'review' });
}

/**
 * A refused decision as a page with the refusal's own words and status (403 for one's own
 * request or a scope one does not approve, 404 for a request one may not see, 409 when it was
 * decided meanwhile). Failures whose message is for the log only are left to the frame.
 */
async function refusalsAsPages(title: string, decide: () => Promise<PageAnswer>): Promise<PageAnswer> {
  try {
    return await decide();
  } catch (error) {
    if (!isElevateError(error) || !isShowableStatus(error.code)) throw error;
    return page(title, html`<p class="problem" role="alert">${error.message}</p><p><a href="${REVIEW_PATH}">Back to the review queue</a></p>`, { status: httpStatusOf(error.code), section: 'review' });
  }
}
