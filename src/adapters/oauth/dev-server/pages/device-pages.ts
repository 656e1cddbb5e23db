import type { KoaContext, KoaContextWithOIDC, OidcClient } from 'oidc-provider';
import { html, page, type SafeHtml } from './html.ts';
import { PREFILLED_USER_CODE } from './prefilled-user-code.ts';

/**
 * The device flow's own pages (RFC 8628 §3.3), in place of oidc-provider's defaults, which load
 * web fonts, carry inline event handlers and auto-submit with inline script. Each form posts the
 * session's CSRF secret (`xsrf`), which oidc-provider checks.
 */

type OutError = { error?: string; error_description?: string };

/** What the login's abort answers the client with (access_denied). */
export const CANCELLED_DESCRIPTION = 'the person cancelled the sign-in';

export async function userCodeInputSource(ctx: KoaContextWithOIDC, _form: string, _out?: OutError, error?: Error & { userCode?: string }): Promise<void> {
  const prefilled = error?.userCode ?? (ctx.state[PREFILLED_USER_CODE] as string | undefined);
  const problem = error === undefined ? null : inputProblem(error);
  ctx.type = 'html';
  ctx.body = page(
    'Sign in to the Elevate CLI',
    html`${problem === null ? html`<p>Enter the code your terminal shows.</p>` : html`<p class="problem" role="alert">${problem}</p>`}
<form method="post" action="${ctx.oidc.urlFor('code_verification')}">
<input type="hidden" name="xsrf" value="${csrfSecret(ctx)}">
<p><label for="user_code">Code</label><br><input id="user_code" type="text" name="user_code" value="${prefilled ?? ''}" maxlength="32" autocomplete="off" autofocus required></p>
<button type="submit">Continue</button>
</form>`,
  );
}

export async function userCodeConfirmSource(ctx: KoaContextWithOIDC, _form: string, client: OidcClient, deviceInfo: { ip?: string; ua?: string } | undefined, userCode: string): Promise<void> {
  const action = ctx.oidc.urlFor('code_verification');
  const hidden = html`<input type="hidden" name="xsrf" value="${csrfSecret(ctx)}"><input type="hidden" name="user_code" value="${userCode}">`;
  ctx.type = 'html';
  ctx.body = page(
    'Is this your terminal?',
    html`<p><strong>${client.clientName ?? client.clientId}</strong> asks to sign in with the code</p>
<p><code>${userCode}</code></p>
<p>Continue only if your terminal shows this code and you started this sign-in yourself.</p>
${deviceInfo?.ip || deviceInfo?.ua ? html`<p>It asked from <span class="id">${deviceInfo.ip ?? 'an unknown address'}</span> with <span class="id">${deviceInfo.ua ?? 'an unknown program'}</span>.</p>` : null}
<form method="post" action="${action}">${hidden}<input type="hidden" name="confirm" value="yes"><button type="submit">Continue</button></form>
<form method="post" action="${action}">${hidden}<input type="hidden" name="abort" value="yes"><button type="submit">Cancel this sign-in</button></form>`,
  );
}

export async function successSource(ctx: KoaContextWithOIDC): Promise<void> {
  ctx.type = 'html';
  const who = ctx.oidc.session.accountId;
  ctx.body = page('Signed in', html`<p>${ctx.oidc.client.clientName ?? ctx.oidc.client.clientId} is signed in${who === undefined ? null : html` as <strong>${who}</strong>`}. You can close this page and return to your terminal.</p>`);
}

/** oidc-provider's error page for browsers. Shows only what the library exposes to the client. */
export async function renderError(ctx: KoaContext, out: OutError, _error: unknown): Promise<void> {
  ctx.type = 'html';
  ctx.body = page('Sign-in failed', errorBody(out.error ?? 'server_error', out.error_description ?? 'the sign-in could not be completed'));
}

export function errorBody(error: string, description: string): SafeHtml {
  return html`<p class="problem" role="alert">${description}</p><p class="id">${error}</p><p>Start again from your terminal (<code>elevate login</code>).</p>`;
}

function inputProblem(error: Error): string {
  switch (error.name) {
    case 'NoCodeError':
      return 'Enter the code your terminal shows.';
    case 'NotFoundError':
      return 'That code is not known here. Check it against your terminal and try again.';
    case 'ExpiredError':
      return 'That code has expired. Run elevate login again for a new one.';
    case 'AlreadyUsedError':
      return 'That code has already been used. Run elevate login again for a new one.';
    case 'AbortedError': {
      // The login's refusal (too many wrong codes) says why; a cancel needs no explanation.
      const description = (error.cause as { error_description?: unknown } | undefined)?.error_description;
      if (typeof description === 'string' && description !== CANCELLED_DESCRIPTION) return `The sign-in was refused: ${description}. Run elevate login again to start over.`;
      return 'The sign-in was cancelled. Run elevate login again to start over.';
    }
    default:
      return 'The code could not be checked. Try again.';
  }
}

function csrfSecret(ctx: KoaContextWithOIDC): string {
  const secret = ctx.oidc.session.state?.secret;
  // oidc-provider sets the secret before it renders these pages; without it no form can succeed.
  if (typeof secret !== 'string') throw new Error('the device page has no CSRF secret in its session');
  return secret;
}
