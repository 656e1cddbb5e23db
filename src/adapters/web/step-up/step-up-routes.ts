import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatDeps } from '../../../app/chat/chat-deps.ts';
import { describeError } from '../../../app/describe-error.ts';
import { beginStepUp, completeStepUp, previewStepUp } from '../../../app/step-up/index.ts';
import { isElevateError } from '../../../domain/errors.ts';
import { httpStatusOf, isShowableStatus } from '../../../http/error-status.ts';
import type { Logger } from '../../../logging/logger.ts';
import { closeIfUnread } from '../../../shared/http/close-if-unread.ts';
import { readBodyWithin } from '../../../shared/http/read-body.ts';
import { clearCookie, readCookie, setCookie } from '../http/cookies.ts';
import { needsSecureCookies } from '../http/public-origin.ts';
import { pageHeaders, sendRedirect } from '../http/security-headers.ts';
import { STYLE_SOURCES } from '../layout/page.ts';
import { previewPage, refusalPage, resultPage } from './step-up-pages.ts';

/** Where the step-up pages live; the callback is `${STEP_UP_PATH}/callback`. */
export const STEP_UP_PATH = '/auth/step-up';

/** A started sign-in's binding cookie lives as long as the ticket may. */
const BINDING_MAX_AGE_SEC = 600;

/** The "Continue" form has no fields; a body beyond this is not from our page. */
const MAX_FORM_BYTES = 1024;

export interface StepUpRoutesOptions {
  deps: ChatDeps;
  /** `$ELEVATE_PUBLIC_URL`: the callback URL is rebuilt on it, never on the request's Host. */
  publicUrl: string;
  logger: Logger;
  /** Origins the "Continue" form's redirect may go to: the OpenID provider's authorization endpoint. */
  formTargets: () => readonly string[];
}

/**
 * The browser side of a step-up: `GET /auth/step-up/<ticket>` shows what the link is for,
 * `POST` of the same URL starts the sign-in (sets the browser-binding cookie, 303 to the provider),
 * and `GET /auth/step-up/callback` finishes it in the browser that started it. Each calls one use
 * case of `src/app/step-up`. No page takes a return URL: every redirect goes to the provider's
 * URL that `beginStepUp` built, and nowhere else. The ticket, `state` and `code` are never logged.
 */
export function stepUpRoutes(options: StepUpRoutesOptions): (req: IncomingMessage, res: ServerResponse, rest: string) => Promise<void> {
  const { deps } = options;
  const logger = options.logger.child({ component: 'web' });
  const secure = needsSecureCookies(options.publicUrl);
  // `__Host-` keeps a sibling subdomain from planting the cookie; the prefix requires Path=/.
  const cookie = secure ? { prefix: '__Host-elevate-step-up', path: '/', secure } : { prefix: 'elevate-step-up', path: STEP_UP_PATH, secure };
  // One cookie per sign-in, named after its `state`, so two links followed in one browser do not
  // overwrite each other's binding. The name reveals nothing: a hash, cut short.
  const cookieName = (state: string | null) => `${cookie.prefix}-${createHash('sha256').update(state ?? '').digest('hex').slice(0, 16)}`;
  const headers = () => pageHeaders({ styleSources: STYLE_SOURCES, formTargets: options.formTargets() });

  function sendPage(req: IncomingMessage, res: ServerResponse, status: number, markup: string, extra: Record<string, string | string[]> = {}): void {
    res.writeHead(status, { ...headers(), ...closeIfUnread(req), ...extra });
    res.end(markup);
  }

  function refuse(req: IncomingMessage, res: ServerResponse, error: unknown, step: string, extra: Record<string, string | string[]> = {}): void {
    const code = isElevateError(error) ? error.code : 'internal';
    const status = httpStatusOf(code);
    const facts = { step, status, code, reason: isElevateError(error) ? error.details['reason'] : undefined, request_id: isElevateError(error) ? error.details['requestId'] : undefined };
    if (status >= 500) logger.error({ ...facts, err: describeError(error) }, `step-up ${step} failed`);
    else logger.info(facts, `step-up ${step} refused: ${code}`);
    const message = isElevateError(error) && isShowableStatus(code) ? error.message : 'Something went wrong on our side. Follow a new link to try again.';
    const title = code === 'issuer_unavailable' ? 'Sign-in unavailable' : status >= 500 ? 'Something went wrong' : 'Not verified';
    sendPage(req, res, status, refusalPage(title, message), extra);
  }

  async function preview(req: IncomingMessage, res: ServerResponse, ticket: string): Promise<void> {
    try {
      sendPage(req, res, 200, previewPage(await previewStepUp(deps, ticket), deps.clock.now()));
    } catch (error) {
      refuse(req, res, error, 'link');
    }
  }

  async function begin(req: IncomingMessage, res: ServerResponse, ticket: string): Promise<void> {
    // The form posts to its own page; a POST from another site (Sec-Fetch-Site) is not ours.
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') {
      logger.info({ step: 'begin', sec_fetch_site: String(site).slice(0, 20) }, 'step-up begin refused: not posted from its own page');
      return sendPage(req, res, 403, refusalPage('Not verified', 'Open the link you were sent and use its button to continue.'));
    }
    if ((await readBodyWithin(req, MAX_FORM_BYTES)) === null) return sendPage(req, res, 413, refusalPage('Not verified', 'That form is not one of ours.'));
    try {
      const began = await beginStepUp(deps, ticket);
      logger.info({ step: 'begin', request_id: began.requestId, purpose: began.purpose }, 'step-up sign-in started');
      const name = cookieName(began.authorizationUrl.searchParams.get('state'));
      sendRedirect(res, began.authorizationUrl.href, {
        ...headers(),
        'set-cookie': setCookie(name, began.binding, { path: cookie.path, maxAgeSec: BINDING_MAX_AGE_SEC, secure: cookie.secure }),
      });
    } catch (error) {
      refuse(req, res, error, 'begin');
    }
  }

  async function callback(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const callbackUrl = new URL(req.url ?? '/', options.publicUrl);
    const state = callbackUrl.searchParams.get('state');
    const name = cookieName(state);
    const clear = { 'set-cookie': clearCookie(name, { path: cookie.path, secure: cookie.secure }) };
    try {
      const completed = await completeStepUp(deps, { state, binding: readCookie(req, name), callbackUrl });
      logger.info({ step: 'callback', request_id: completed.view.request.id, purpose: completed.purpose, outcome: completed.outcome }, 'step-up verified');
      sendPage(req, res, 200, resultPage(completed, deps.platforms.all().map((platform) => platform.platform)), clear);
    } catch (error) {
      refuse(req, res, error, 'callback', clear);
    }
  }

  // `rest` is the path below STEP_UP_PATH: `/callback` or `/<ticket>`.
  return async (req, res, rest) => {
    const segment = /^\/([A-Za-z0-9_-]{1,100})$/.exec(rest)?.[1];
    if (segment === undefined) return sendPage(req, res, 404, refusalPage('Not found', 'There is no page here.'));
    if (segment === 'callback') {
      if (req.method === 'GET') return callback(req, res);
      return sendPage(req, res, 405, refusalPage('Not allowed', 'This page does not take that request.'), { allow: 'GET' });
    }
    if (req.method === 'GET' || req.method === 'HEAD') return preview(req, res, segment);
    if (req.method === 'POST') return begin(req, res, segment);
    return sendPage(req, res, 405, refusalPage('Not allowed', 'This page does not take that request.'), { allow: 'GET, POST' });
  };
}
