import { revealToken, type RevealedToken } from '../../../../app/chat/reveal-token.ts';
import { ElevateError } from '../../../../domain/errors.ts';
import { html } from '../../../../shared/html/html.ts';
import { checkAuthentication, stepUpChallenge } from '../../../../domain/step-up.ts';
import { page, type PageAnswer, type PageCall, type PageRoute } from '../page-route.ts';
import { relativeTo, timeOf } from '../time-words.ts';

/**
 * `POST /access/grants/{id}/reveal`: the token of one's own active grant, on a page of its own —
 * answered to a POST (never in a URL, so never in history, logs or a Referer), under
 * `Cache-Control: no-store`, and audited as `grant.delivered` before the page leaves. Anyone else's
 * grant is refused by the use case, with nothing about it shown. On a scope with an `mfa:` block
 * the session's sign-in must meet it now (as fresh as `max_age`): a browser session lives for
 * hours, and a stolen session cookie alone must not be enough to carry the token away.
 */
export const revealTokenAction: PageRoute = {
  method: 'POST',
  path: '/access/grants/{id}/reveal',
  access: 'signed_in',
  async handle(call) {
    const stepUp = await stepUpNeeded(call);
    if (stepUp) return stepUp;
    let revealed: RevealedToken | null = null;
    await revealToken(call.deps, { grantId: call.params['id']!, actor: call.actor, via: 'web' }, async (token) => {
      revealed = token;
    });
    const token = revealed as RevealedToken | null;
    if (!token) throw new ElevateError('internal', 'The token was not handed over.');
    const scope = await call.deps.store.getScope(token.scopeName);
    return page(
      `Token for ${token.scopeName}`,
      html`<p class="warning" role="status">This is the only time this page shows the token. Copy it now; it is not kept in your browser's history. Anyone holding it has this access until it ends.</p>
<dl class="facts"><dt>Grant</dt><dd>${token.grantId}</dd><dt>Scope</dt><dd>${scope?.oauthScope ?? token.scopeName}</dd><dt>Audience</dt><dd>${scope?.audience ?? ''}</dd><dt>Type</dt><dd>${token.tokenType}</dd><dt>Ends</dt><dd>${timeOf(token.endsAt)} (${relativeTo(token.endsAt, call.now)})</dd></dl>
<p><label for="token">Access token</label></p>
<p class="token" id="token" tabindex="0">${token.accessToken}</p>
<p><a href="/access">Back to my access</a></p>`,
      { section: 'access' },
    );
  },
};

/** The scope's step-up challenge when the session's sign-in does not meet its `mfa:` now; null otherwise. */
async function stepUpNeeded(call: PageCall): Promise<PageAnswer | null> {
  const grant = await call.deps.store.getGrant(call.params['id']!);
  const request = grant ? await call.deps.store.getRequest(grant.requestId) : null;
  // Not the requester's (or no such grant): the use case refuses it, saying nothing of its scope.
  if (!request || request.requesterId !== call.viewer.principal.id) return null;
  const scope = await call.deps.store.getScope(request.scopeName);
  if (!scope?.mfa?.requester) return null;
  const check = checkAuthentication(scope.mfa, call.viewer.evidence, call.now);
  if (check.ok) return null;
  const challenge = stepUpChallenge(scope.mfa);
  return { kind: 'step_up', acrValues: challenge.acrValues, maxAgeSec: challenge.maxAgeSec, why: check.message };
}
