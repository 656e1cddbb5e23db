import { randomUUID } from 'node:crypto';
import { listGrants } from '../../../../app/list-grants.ts';
import { listRequestableScopes } from '../../../../app/list-requestable-scopes.ts';
import { listRequests } from '../../../../app/list-requests.ts';
import { formatDuration } from '../../../../domain/duration.ts';
import type { Grant } from '../../../../domain/grant.ts';
import { describeStatus, type ElevationRequest } from '../../../../domain/request.ts';
import type { ScopeDefinition } from '../../../../domain/scope.ts';
import type { RequestView } from '../../../../ports/chat-platform.ts';
import { html, type SafeHtml } from '../../../../shared/html/html.ts';
import { csrfField, postButton } from '../forms.ts';
import { noticeOf } from '../notices.ts';
import { page, type PageCall, type PageRoute } from '../page-route.ts';
import { relativeTo, timeOf } from '../time-words.ts';
import { scopePolicyWords } from './scope-words.ts';

/**
 * Each rendering of the request form carries a key of its own, so a double click or a resent
 * form makes one request, not two (the API's `Idempotency-Key`, for a form).
 */
export const REQUEST_KEY_FIELD = 'request_key';

/** How many of one's own past requests the page lists. */
const RECENT_REQUESTS = 20;

/** What the request form shows again after a refusal: the person's own input and what to fix. */
export interface RequestFormState {
  scope: string;
  duration: string;
  reason: string;
  problem: string;
}

/**
 * My access: ask for a scope (only the scopes one may request, each with its policy in words),
 * the grants one holds with time left (reveal the token, extend, end early), and one's recent
 * requests (withdraw a pending one, verify one that waits for one's multi-factor sign-in).
 */
export const accessPage: PageRoute = {
  method: 'GET',
  path: '/access',
  access: 'signed_in',
  handle: async (call) => page('My access', await renderAccess(call, null), { section: 'access', live: true }),
};

export async function renderAccess(call: PageCall, form: RequestFormState | null): Promise<SafeHtml> {
  const [{ scopes }, grants, requests] = await Promise.all([
    listRequestableScopes(call.deps, call.actor),
    listGrants(call.deps, call.actor, { statuses: ['issuing', 'active', 'revoking'] }),
    listRequests(call.deps, call.actor, { role: 'requester', limit: RECENT_REQUESTS }),
  ]);
  return html`${noticeOf(call.url)}
<section aria-labelledby="grants-heading">
<h2 id="grants-heading">What I hold</h2>
${grants.length === 0 ? html`<p class="empty">You hold no elevated access right now.</p>` : grantsTable(grants, call)}
</section>
<section aria-labelledby="request-heading">
<h2 id="request-heading">Request access</h2>
${requestForm(scopes, form, call.csrf)}
</section>
<section aria-labelledby="requests-heading">
<h2 id="requests-heading">My requests</h2>
${requests.length === 0 ? html`<p class="empty">You have not requested anything yet.</p>` : requestsTable(requests, call)}
</section>`;
}

function requestForm(scopes: ScopeDefinition[], form: RequestFormState | null, csrf: string): SafeHtml {
  if (scopes.length === 0) return html`<p class="empty">There is no scope you may request. Ask an Elevate admin to add you as a requester.</p>`;
  const chosen = form?.scope ?? '';
  return html`${form ? html`<p class="problem" role="alert" id="request-problem">${form.problem}</p>` : null}
<form method="post" action="/access/requests" class="stack"${form ? html` aria-describedby="request-problem"` : null}>
${csrfField(csrf)}<input type="hidden" name="${REQUEST_KEY_FIELD}" value="${randomUUID()}">
<div><label for="scope">Scope</label>
<select id="scope" name="scope" required aria-describedby="scope-policies">${scopes.map((scope) => html`<option value="${scope.name}"${scope.name === chosen ? html` selected` : null}>${scope.name} — ${scope.description}</option>`)}</select></div>
<div><label for="duration">Duration <span class="hint">e.g. 30m or 1h; empty for the scope's default</span></label>
<input id="duration" name="duration" maxlength="16" value="${form?.duration ?? ''}" autocomplete="off"></div>
<div><label for="reason">Reason <span class="hint">what you will do and why; reviewers see it</span></label>
<textarea id="reason" name="reason" required maxlength="500" rows="3">${form?.reason ?? ''}</textarea></div>
<div><button type="submit">Request</button></div>
</form>
<details id="scope-policies"><summary>What each scope allows</summary><dl class="facts">${scopes.map((scope) => html`<dt>${scope.name}</dt><dd>${scopePolicyWords(scope)}</dd>`)}</dl></details>`;
}

function grantsTable(grants: Array<{ grant: Grant; request: ElevationRequest }>, call: PageCall): SafeHtml {
  return html`<div class="table-wrap"><table class="stack"><thead><tr><th scope="col">Scope</th><th scope="col">Status</th><th scope="col">Ends</th><th scope="col">Reason</th><th scope="col">Actions</th></tr></thead><tbody>
${grants.map(({ grant, request }) => {
  const live = grant.status === 'active' && grant.endsAt.getTime() > call.now.getTime();
  return html`<tr id="grant-${grant.id}"><td data-label="Scope"><strong>${request.scopeName}</strong> <span class="muted small">${grant.id}</span></td>
<td data-label="Status"><span class="badge ${grant.status}">${grant.status}</span></td>
<td data-label="Ends">${timeOf(grant.endsAt)} <span class="muted">(${relativeTo(grant.endsAt, call.now)})</span></td>
<td data-label="Reason">${request.reason}</td>
<td data-label="Actions" class="actions">${live
    ? html`${postButton({ action: `/access/grants/${grant.id}/reveal`, csrf: call.csrf, label: 'Reveal token' })}
${postButton({ action: `/access/grants/${grant.id}/end`, csrf: call.csrf, label: 'End now', danger: true })}
<details class="extend"><summary>Extend</summary><form method="post" action="/access/grants/${grant.id}/extend" class="stack">${csrfField(call.csrf)}
<label for="extend-duration-${grant.id}">Extend by</label><input id="extend-duration-${grant.id}" name="duration" required maxlength="16" placeholder="30m">
<label for="extend-reason-${grant.id}">Why more time</label><input id="extend-reason-${grant.id}" name="reason" required maxlength="500">
<button type="submit" class="secondary">Ask to extend</button></form></details>`
    : html`<span class="muted">${grant.status === 'revoking' ? 'being revoked' : 'being issued'}</span>`}</td></tr>`;
})}
</tbody></table></div>`;
}

function requestsTable(views: RequestView[], call: PageCall): SafeHtml {
  return html`<div class="table-wrap"><table class="stack"><thead><tr><th scope="col">Requested</th><th scope="col">Scope</th><th scope="col">Duration</th><th scope="col">Status</th><th scope="col">Reason</th><th scope="col">Actions</th></tr></thead><tbody>
${views.map(({ request, reviews }) => {
  const approvals = reviews.filter((review) => review.decision === 'approve').length;
  const denial = reviews.find((review) => review.decision === 'deny');
  return html`<tr id="request-${request.id}"><td data-label="Requested">${timeOf(request.createdAt)}</td>
<td data-label="Scope"><strong>${request.scopeName}</strong> <span class="muted small">${request.id}</span></td>
<td data-label="Duration">${formatDuration(request.durationSec)}</td>
<td data-label="Status"><span class="badge ${request.status}">${describeStatus(request.status)}</span>${request.status === 'pending' ? html` <span class="muted small">${approvals} of ${request.approvalsRequired} approvals</span>` : null}${denial?.comment ? html`<br><span class="small">Reason given: ${denial.comment}</span>` : null}</td>
<td data-label="Reason">${request.reason}</td>
${actionCell(actionsFor(request, call))}</tr>`;
})}
</tbody></table></div>`;
}

/** The actions cell; without actions it has no label, so a phone's stacked row shows no empty "Actions:". */
function actionCell(actions: SafeHtml | null): SafeHtml {
  return actions === null ? html`<td class="actions"></td>` : html`<td data-label="Actions" class="actions">${actions}</td>`;
}

function actionsFor(request: ElevationRequest, call: PageCall): SafeHtml | null {
  if (request.status === 'pending') return postButton({ action: `/access/requests/${request.id}/cancel`, csrf: call.csrf, label: 'Withdraw', danger: true });
  if (request.status === 'verifying') return postButton({ action: `/access/requests/${request.id}/verify`, csrf: call.csrf, label: 'Verify and receive' });
  return null;
}
