import type { IncomingMessage, ServerResponse } from 'node:http';
import { beginSignIn, completeSignIn, endWebSession } from '../../../app/web-session/index.ts';
import { describeError } from '../../../app/describe-error.ts';
import { isElevateError } from '../../../domain/errors.ts';
import { httpStatusOf, isShowableStatus } from '../../../http/error-status.ts';
import { html } from '../../../shared/html/html.ts';
import { readBodyWithin } from '../../../shared/http/read-body.ts';
import { sendRedirect } from '../http/security-headers.ts';
import { csrfTokenMatches, postedFromThisOrigin } from './csrf.ts';
import type { Frame } from './dashboard.ts';
import { dashboardPage } from './dashboard-layout.ts';
import { CSRF_FIELD } from './forms.ts';
import { noticeOf } from './notices.ts';
import { safeReturnTo } from './return-to.ts';
import type { SealedSignIn } from './session-cookies.ts';

/** The provider returns the browser here; register `$ELEVATE_PUBLIC_URL/auth/sign-in/callback` for Elevate's client. */
export const SIGN_IN_CALLBACK_PATH = '/auth/sign-in/callback';

interface Hooks {
  resumeAfterStepUp(req: IncomingMessage, res: ServerResponse, sealed: SealedSignIn, callbackUrl: URL): Promise<void>;
}

/**
 * Sign-in and sign-out: `GET /sign-in` (a page with one button), `POST /sign-in` (to the
 * provider, with the pending sign-in sealed in a cookie), the provider's callback (a new session,
 * or a step-up's evidence and the POST it interrupted), and `POST /sign-out`.
 */
export function signInRoutes(frame: Frame) {
  const { deps, cookies } = frame;

  async function signInPage(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const returnTo = safeReturnTo(url.searchParams.get('return_to'));
    if (await frame.currentSession(req)) return sendRedirect(res, returnTo, frame.headers());
    const available = frame.signIn() !== null;
    const body = html`${noticeOf(url)}
<p>Elevate gives you short-lived, approved access instead of standing admin rights. Sign in with your organisation's account to request access, review requests, and see what you hold.</p>
${available
  ? html`<form method="post" action="/sign-in" class="stack"><input type="hidden" name="return_to" value="${returnTo}"><div><button type="submit">Sign in</button></div></form>`
  : html`<p class="problem" role="alert">Sign-in is unavailable: the OpenID provider Elevate uses has no authorization endpoint.</p>`}`;
    frame.sendHtml(req, res, 200, dashboardPage({ title: 'Sign in', body, viewer: null }));
  }

  async function startSignIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!postedFromThisOrigin(req, frame.publicOrigin)) return frame.sendMessage(req, res, 403, 'Not allowed', 'Start the sign-in from the Elevate sign-in page.', null);
    const body = await readBodyWithin(req, 2048);
    if (body === null) return frame.sendMessage(req, res, 413, 'Not done', 'That form is not one of ours.', null);
    const settings = frame.signIn();
    if (!settings) return frame.sendMessage(req, res, 503, 'Sign-in unavailable', 'The OpenID provider Elevate uses has no authorization endpoint.', null);
    try {
      const { authorizationUrl, pending } = beginSignIn(settings);
      const sealed: SealedSignIn = { pending, returnTo: safeReturnTo(new URLSearchParams(body).get('return_to')), resume: null };
      sendRedirect(res, authorizationUrl.href, { ...frame.headers(), 'set-cookie': await cookies.signIn(sealed, deps.clock.now()) });
    } catch (error) {
      failed(req, res, error, 'begin');
    }
  }

  async function callback(req: IncomingMessage, res: ServerResponse, hooks: Hooks): Promise<void> {
    const callbackUrl = new URL(req.url ?? '/', frame.publicUrl);
    const sealed = await cookies.readSignIn(req, deps.clock.now());
    const clear = cookies.clearSignIn();
    if (!sealed || sealed.pending.state !== callbackUrl.searchParams.get('state')) {
      frame.logger.info({ step: 'callback', sealed: sealed !== null }, 'dashboard sign-in refused: no matching sign-in in this browser');
      return frame.sendMessage(req, res, 400, 'Not signed in', 'This sign-in was not started in this browser, was replaced by a newer one, or took longer than ten minutes. Sign in again.', null, { 'set-cookie': clear });
    }
    if (sealed.resume) return hooks.resumeAfterStepUp(req, res, sealed, callbackUrl);
    const settings = frame.signIn();
    if (!settings) return frame.sendMessage(req, res, 503, 'Sign-in unavailable', 'The OpenID provider Elevate uses has no authorization endpoint.', null, { 'set-cookie': clear });
    try {
      const previousSecret = await cookies.readSession(req, deps.clock.now());
      const completed = await completeSignIn(deps, settings, { pending: sealed.pending, callbackUrl, previousSecret });
      frame.logger.info({ step: 'callback', principal: completed.principal.id, acr: completed.session.evidence.acr }, 'dashboard sign-in');
      sendRedirect(res, sealed.returnTo, { ...frame.headers(), 'set-cookie': [clear, await cookies.session(completed.secret, settings.limits.absoluteSec, deps.clock.now())] });
    } catch (error) {
      failed(req, res, error, 'callback', { 'set-cookie': clear });
    }
  }

  async function signOut(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const signedIn = await frame.currentSession(req);
    const body = (await readBodyWithin(req, 2048)) ?? '';
    if (signedIn) {
      const presented = new URLSearchParams(body).getAll(CSRF_FIELD);
      if (!postedFromThisOrigin(req, frame.publicOrigin) || presented.length !== 1 || !csrfTokenMatches(signedIn.csrf, presented[0]!)) {
        return frame.sendMessage(req, res, 403, 'Not allowed', 'This form has expired or was not sent from your dashboard. Reload the page and try again.', signedIn);
      }
      await endWebSession(deps, signedIn.secret);
      frame.logger.info({ principal: signedIn.viewer.principal.id }, 'dashboard sign-out');
    }
    sendRedirect(res, '/sign-in?notice=signed_out', { ...frame.headers(), 'set-cookie': cookies.clearSession() });
  }

  function failed(req: IncomingMessage, res: ServerResponse, error: unknown, step: string, extra: Record<string, string> = {}): void {
    const code = isElevateError(error) ? error.code : 'internal';
    const status = httpStatusOf(code);
    const facts = { step, status, code, reason: isElevateError(error) ? error.details['reason'] : undefined, oauth_error: isElevateError(error) ? error.details['oauth_error'] : undefined };
    if (status >= 500 && code !== 'issuer_unavailable') frame.logger.error({ ...facts, err: describeError(error) }, 'dashboard sign-in failed');
    else frame.logger.info(facts, `dashboard sign-in refused: ${code}`);
    const message = isElevateError(error) && isShowableStatus(code) ? error.message : 'Something went wrong on our side. Sign in again; if it keeps failing, tell your Elevate admins.';
    frame.sendMessage(req, res, status, code === 'unknown_identity' ? 'Unknown person' : 'Not signed in', message, null, extra);
  }

  return {
    /** Serves the request when it is one of these pages; false otherwise. */
    async handles(req: IncomingMessage, res: ServerResponse, path: string, hooks: Hooks): Promise<boolean> {
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', frame.publicUrl);
      if (path === '/sign-in' && (method === 'GET' || method === 'HEAD')) await signInPage(req, res, url);
      else if (path === '/sign-in' && method === 'POST') await startSignIn(req, res);
      else if (path === SIGN_IN_CALLBACK_PATH && method === 'GET') await callback(req, res, hooks);
      else if (path === '/sign-out' && method === 'POST') await signOut(req, res);
      else if (path === '/sign-in' || path === SIGN_IN_CALLBACK_PATH || path === '/sign-out') frame.sendMessage(req, res, 405, 'Not allowed', 'This page does not take that request.', null);
      else return false;
      return true;
    },
  };
}
