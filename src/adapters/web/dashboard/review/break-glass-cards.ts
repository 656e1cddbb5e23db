import { breakGlassPhrase } from '../../../../app/chat/phrases/break-glass-phrase.ts';
import { MAX_COMMENT_LENGTH } from '../../../../app/review-request.ts';
import { formatDuration } from '../../../../domain/duration.ts';
import type { RequestView } from '../../../../ports/chat-platform.ts';
import { html, type SafeHtml } from '../../../../shared/html/html.ts';
import { csrfField } from '../forms.ts';
import { timeOf } from '../time-words.ts';
import { phraseHtml } from './phrase-html.ts';

/**
 * Break-glass grants taken without approval, each to be acknowledged ("it was right") or flagged
 * ("this needs a look") by one approver; nothing at all when none waits, so the queue stays the
 * page's subject.
 */
export function breakGlassSectionHtml(views: readonly RequestView[], input: { csrf: string; now: Date }): SafeHtml | null {
  if (views.length === 0) return null;
  return html`<section class="break-glass" aria-labelledby="break-glass-title">
<h2 id="break-glass-title">Break-glass grants to review after the fact</h2>
${views.map((view) => cardHtml(view, input))}
</section>`;
}

function cardHtml(view: RequestView, input: { csrf: string; now: Date }): SafeHtml {
  const { request, scope, requester, grant } = view;
  const id = request.id;
  const overdue = request.breakGlass !== null && input.now.getTime() >= request.breakGlass.dueAt.getTime();
  return html`<article class="review-card break-glass-card${overdue ? ' overdue' : ''}" id="break-glass-${id}" aria-labelledby="break-glass-${id}-title">
<h3 id="break-glass-${id}-title">${requester.displayName} took <strong>${scope.name}</strong> for ${formatDuration(request.durationSec)} without approval</h3>
<p class="break-glass-state">${phraseHtml(breakGlassPhrase(view, input.now) ?? [])}</p>
<dl class="review-facts">
<dt>Reason</dt><dd class="reason">${request.reason}</dd>
<dt>Taken</dt><dd>${timeOf(request.createdAt)}</dd>
<dt>Grant</dt><dd>${grant ? html`${grant.status}, ending ${timeOf(grant.endsAt)}` : 'not issued'}</dd>
<dt>Request</dt><dd><code>${id}</code></dd>
</dl>
<div class="review-actions">
${verdictForm(id, 'acknowledge', { field: 'Why it was right (optional)', button: 'Acknowledge' }, input.csrf)}
${verdictForm(id, 'flag', { field: 'What needs a look (optional)', button: 'Flag for a look' }, input.csrf, true)}
</div>
</article>`;
}

function verdictForm(id: string, action: 'acknowledge' | 'flag', label: { field: string; button: string }, csrf: string, danger = false): SafeHtml {
  return html`<form method="post" action="/review/${id}/${action}" class="review-${action}">${csrfField(csrf)}
<label for="${action}-${id}">${label.field}</label>
<textarea id="${action}-${id}" name="note" rows="2" maxlength="${MAX_COMMENT_LENGTH}"></textarea>
<button type="submit"${danger ? html` class="danger"` : null}>${label.button}</button>
</form>`;
}
