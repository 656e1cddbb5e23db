import type { StepUpPreview, CompletedStepUp } from '../../../app/step-up/index.ts';
import { html, type SafeHtml } from '../../../shared/html/html.ts';
import { layout } from '../layout/page.ts';

/**
 * The page a step-up link opens. It only shows what the link is for: following it (which uses
 * it) takes the POST of its button, so a chat's link preview or a mail scanner fetching the URL
 * changes nothing. The form has no `action`: it posts back to the page's own URL, so the ticket
 * is not repeated in the markup.
 */
export function previewPage(preview: StepUpPreview, now: Date): string {
  const minutes = Math.max(0, Math.ceil((preview.expiresAt.getTime() - now.getTime()) / 60_000));
  const what =
    preview.purpose === 'receive'
      ? html`<p>Your request was approved. Scope <strong>${preview.scopeName}</strong> asks for a fresh multi-factor sign-in before the token is issued to you.</p>`
      : html`<p>Scope <strong>${preview.scopeName}</strong> asks approvers for a fresh multi-factor sign-in. Your approval counts once you have signed in.</p>`;
  return layout(
    preview.purpose === 'receive' ? 'Verify to receive your token' : 'Verify to approve',
    html`${what}
<dl>
<dt>Request</dt><dd><code>${preview.requestId}</code></dd>
<dt>Scope</dt><dd>${preview.scopeName}</dd>
<dt>For</dt><dd>${preview.principalId}</dd>
<dt>Link valid until</dt><dd>${preview.expiresAt.toISOString()} (${minutes} min)</dd>
</dl>
<p>You will sign in at your organisation's sign-in page as <strong>${preview.principalId}</strong>. This link works once.</p>
<form method="post"><button type="submit">Continue to sign-in</button></form>`,
  );
}

/** Where a token waits after a verification: never the token itself. */
export function resultPage(completed: CompletedStepUp, chatPlatforms: readonly string[]): string {
  const { request, scope, grant } = completed.view;
  const where = waitingPlaces(request.id, grant?.id ?? null, chatPlatforms);
  switch (completed.outcome) {
    case 'issued':
      return layout(
        'Verified: your token is ready',
        html`<p class="done">You are verified. The token for request <code>${request.id}</code> (scope ${scope.name}) has been issued.</p>
<p>It is waiting for you ${where}. It is not shown on this page.</p>`,
      );
    case 'issue_failed':
      return layout(
        'Verified, but no token',
        html`<p class="problem">You are verified, but the authorization server did not issue the token for request <code>${request.id}</code> (scope ${scope.name}).</p>
<p>The details are ${where}; an admin can find the cause in Elevate's log.</p>`,
      );
    case 'approved':
      return layout(
        'Verified: approval recorded',
        html`<p class="done">You are verified and your approval of request <code>${request.id}</code> (scope ${scope.name}) is recorded.</p>
<p>The request is now <strong>${request.status.replace('_', '-')}</strong>. You can close this page.</p>`,
      );
  }
}

/** A refusal: what happened and what to do; the status says the kind. */
export function refusalPage(title: string, message: string): string {
  return layout(title, html`<p class="problem" role="alert">${message}</p>`);
}

function waitingPlaces(requestId: string, grantId: string | null, chatPlatforms: readonly string[]): SafeHtml {
  const chats = chatPlatforms.map((platform) => (platform === 'slack' ? 'Slack' : platform === 'teams' ? 'Microsoft Teams' : platform));
  const dm = chats.length > 0 ? html`in your direct messages from Elevate in ${chats.join(' and ')}, or ` : null;
  const cli = grantId === null ? html`with <code>elevate status ${requestId} --print-token</code>` : html`with <code>elevate token ${grantId}</code>`;
  return html`${dm}${cli}`;
}
