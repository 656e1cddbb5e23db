import { decisionContextLines } from '../../../../app/chat/phrases/decision-context-phrase.ts';
import { plural } from '../../../../app/chat/phrases/parts.ts';
import { approvalsSoFar, originPhrase } from '../../../../app/chat/request-view-facts.ts';
import type { ReviewQueueItem } from '../../../../app/list-review-queue.ts';
import { MAX_COMMENT_LENGTH } from '../../../../app/review-request.ts';
import { formatDuration } from '../../../../domain/duration.ts';
import { html, type SafeHtml } from '../../../../shared/html/html.ts';
import { csrfField } from '../forms.ts';
import { timeOf } from '../time-words.ts';
import { phraseHtml } from './phrase-html.ts';

/**
 * The review queue: one card per request, oldest waiting first, then the break-glass grants to
 * review after the fact (`breakGlass`, null when none), or a plain empty state when neither waits.
 */
export function reviewQueueHtml(items: readonly ReviewQueueItem[], input: { csrf: string; now: Date; notice: SafeHtml | null; breakGlass: SafeHtml | null }): SafeHtml {
  const list =
    items.length > 0
      ? html`<p class="review-count">${plural(items.length, 'request')} waiting, oldest first.</p>${items.map((item) => reviewCardHtml(item, input))}`
      : input.breakGlass === null
        ? html`<p class="empty">Nothing is waiting for your review.</p>`
        : html`<p class="empty">No request is waiting for your approval.</p>`;
  return html`${input.notice}
<p class="lede">Requests for scopes you approve. A decision here updates the approval messages in Slack and Teams; decisions taken there show here within seconds.</p>
${list}${input.breakGlass}`;
}

/**
 * One request with everything an approver weighs it by, and the approve and deny forms (or, once
 * this approver has approved, what it still waits for). `denyProblem` marks the deny form's
 * reason as what must be fixed, when the form came back without one.
 */
export function reviewCardHtml(item: ReviewQueueItem, input: { csrf: string; now: Date; denyProblem?: string }): SafeHtml {
  const { view, context } = item;
  const { request, scope, requester } = view;
  const id = request.id;
  const approvers = view.eligibleApprovers.map((approver) => {
    const review = view.reviews.find((r) => r.approverId === approver.id);
    return review ? html`${approver.displayName} (${review.decision === 'approve' ? 'approved' : 'denied'})` : html`${approver.displayName}`;
  });
  const extension = view.extension
    ? html`<dt>Extends</dt><dd>grant <code>${view.extension.grant.id}</code>, ending ${timeOf(view.extension.grant.endsAt)}; it would end ${timeOf(view.extension.endsAt)}, ${formatDuration(view.extension.totalSec)} in all</dd>`
    : null;
  const signals = decisionContextLines(context).map((line) => html`<li${line.some((part) => part.kind === 'icon' && part.icon === 'warning') ? html` class="warning"` : null}>${phraseHtml(line)}</li>`);
  return html`<article class="review-card" id="request-${id}" aria-labelledby="request-${id}-title">
<h2 id="request-${id}-title">${requester.displayName} asks for <strong>${scope.name}</strong> for ${formatDuration(request.durationSec)}</h2>
<dl class="review-facts">
<dt>Reason</dt><dd class="reason">${request.reason}</dd>
<dt>Requested</dt><dd>${timeOf(request.createdAt)} (${ago(request.createdAt, input.now)} ago)${originPhrase(view)}</dd>
<dt>Expires</dt><dd>${timeOf(request.pendingUntil)} unless decided</dd>
<dt>Approvals</dt><dd>${approvalsSoFar(view)} of ${request.approvalsRequired}</dd>
<dt>Approvers</dt><dd>${approvers.map((name, index) => html`${index > 0 ? ', ' : null}${name}`)}</dd>
${extension}<dt>Request</dt><dd><code>${id}</code></dd>
</dl>
<h3 class="signals-title">Risk signals</h3>
<ul class="signals">${signals}</ul>
${item.mine ? mineHtml(item) : actionsHtml(item, input)}
</article>
`;
}

function mineHtml(item: ReviewQueueItem): SafeHtml {
  const { view } = item;
  const missing = view.request.approvalsRequired - approvalsSoFar(view);
  return html`<p class="review-mine">You approved this ${timeOf(item.mine!.createdAt)}; it waits for ${plural(missing, 'more approval')} from the other approvers.</p>`;
}

function actionsHtml(item: ReviewQueueItem, input: { csrf: string; denyProblem?: string }): SafeHtml {
  const id = item.view.request.id;
  const stepUp = item.view.scope.mfa?.approver ? html`<p class="hint" id="approve-${id}-hint">This scope asks approvers for a fresh multi-factor sign-in: you may be sent to sign in again first.</p>` : null;
  const problem = input.denyProblem ? html`<p class="problem" id="deny-${id}-problem" role="alert">${input.denyProblem}</p>` : null;
  return html`<div class="review-actions">
<form method="post" action="/review/${id}/approve" class="review-approve">${csrfField(input.csrf)}
<label for="approve-${id}">Comment (optional)</label>
<textarea id="approve-${id}" name="comment" rows="2" maxlength="${MAX_COMMENT_LENGTH}"></textarea>
${stepUp}<button type="submit"${stepUp ? html` aria-describedby="approve-${id}-hint"` : null}>Approve</button>
</form>
<form method="post" action="/review/${id}/deny" class="review-deny">${csrfField(input.csrf)}
<label for="deny-${id}">Reason for denying (the requester sees it)</label>
${problem}<textarea id="deny-${id}" name="reason" rows="2" maxlength="${MAX_COMMENT_LENGTH}" required${problem ? html` aria-invalid="true" aria-describedby="deny-${id}-problem"` : null}></textarea>
<button type="submit" class="danger">Deny</button>
</form>
</div>`;
}

/** `4 minutes`, `3 hours`, `2 days`: how long a request has waited, roughly. */
function ago(from: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 60_000));
  if (minutes < 1) return 'less than a minute';
  if (minutes < 120) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? plural(hours, 'hour') : plural(Math.floor(hours / 24), 'day');
}
