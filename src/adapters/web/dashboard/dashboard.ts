import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatDeps } from '../../../app/chat/chat-deps.ts';
import { describeError } from '../../../app/describe-error.ts';
import { hashSecret } from '../../../app/step-up/secrets.ts';
import { beginSignIn, reauthenticateWebSession, redeemSignIn, resumeWebSession, type SignInSettings } from '../../../app/web-session/index.ts';
import { ElevateError, isElevateError } from '../../../domain/errors.ts';
import { mayReadAuditTrail, type Principal } from '../../../domain/principal.ts';
import type { WebSessionLimits } from '../../../domain/web-session.ts';
import { httpStatusOf, isShowableStatus } from '../../../http/error-status.ts';
import type { Logger } from '../../../logging/logger.ts';
import { html } from '../../../shared/html/html.ts';
import { closeIfUnread } from '../../../shared/http/close-if-unread.ts';
import { readBodyWithin } from '../../../shared/http/read-body.ts';
import { loadAssets, type Asset } from '../assets/assets.ts';
import { dashboardHeaders, sendRedirect } from '../http/security-headers.ts';
import type { CookieSealer } from '../http/sealed-cookie.ts';
import { csrfTokenFor, csrfTokenMatches, postedFromThisOrigin } from './csrf.ts';
import { DASHBOARD_ROUTES } from './dashboard-routes.ts';
import { dashboardPage } from './dashboard-layout.ts';
import { CSRF_FIELD } from './forms.ts';
import type { PageAnswer, PageCall, PageRoute, Viewer } from './page-route.ts';
import { matchPageRoute } from './route-match.ts';
import { SessionCookies, type SealedSignIn } from './session-cookies.ts';
import { signInRoutes } from './sign-in-routes.ts';

/** A form's body beyond this is not from one of our pages (the longest field, a reason, is far shorter). */
const MAX_FORM_BYTES = 16 * 1024;
/** A step-up keeps the form to post again in a cookie: it must fit. */
const MAX_RESUMED_FORM_BYTES = 2 * 1024;

export interface DashboardOptions {
  deps: ChatDeps;
  /** `$ELEVATE_PUBLIC_URL`, without a trailing slash: the origin every check compares with. */
  publicUrl: string;
  logger: Logger;
  /** The sign-in at the organisation's OpenID provider, or null when it has no authorization endpoint. */
  signIn: () => SignInSettings | null;
  /** How long sessions last (also when sign-in is off: sessions already open keep their limits). */
  sessionLimits: WebSessionLimits;
  sealer: CookieSealer;
  /** Keys the CSRF tokens (derived from Elevate's encryption key by the composition root). */
  csrfKey: Uint8Array;
  secureCookies: boolean;
  /** Origins a form's redirect may go to besides this one: the OpenID provider's sign-in. */
  formTargets: () => readonly string[];
  /** `GET /events`: the live-update stream (see live/), or absent. */
  changeFeed?: (req: IncomingMessage, res: ServerResponse, signal: AbortSignal) => Promise<void>;
  routes?: readonly PageRoute[];
}

/** A signed-in browser, as one request of it sees itself. */
export interface SignedIn {
  secret: string;
  idHash: string;
  viewer: Viewer;
  csrf: string;
}

export type DashboardHandler = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>;

/** The first path segments the dashboard owns, for mounting it on the one server. */
export const DASHBOARD_PREFIXES = ['/access', '/review', '/audit', '/operations', '/sign-in', '/sign-out', '/auth/sign-in', '/events', '/assets'] as const;

/**
 * The dashboard's frame, around every page of `dashboard-routes.ts`: it reads the sealed session
 * cookie and resumes the session (or sends the browser to sign in), applies the page's access
 * rule (403 for a page above one's role), checks every POST (same origin, the session's CSRF
 * token, a form of sane size), and turns the page's answer into a response with the dashboard's
 * headers (strict CSP, no framing, no caching). A page that asks for a step-up sends the person
 * to the OpenID provider, and the same POST runs again when they are back.
 */
export function createDashboard(options: DashboardOptions): DashboardHandler {
  const { deps } = options;
  const logger = options.logger.child({ component: 'dashboard' });
  const cookies = new SessionCookies(options.sealer, options.secureCookies);
  const routes = options.routes ?? DASHBOARD_ROUTES;
  const publicOrigin = new URL(options.publicUrl).origin;
  let assets: ReadonlyMap<string, Asset> | null = null;
  const headers = () => dashboardHeaders(options.formTargets());

  const frame: Frame = {
    deps,
    logger,
    cookies,
    publicUrl: options.publicUrl,
    publicOrigin,
    headers,
    signIn: options.signIn,
    sendHtml(req, res, status, markup, extra = {}) {
      res.writeHead(status, { ...headers(), ...closeIfUnread(req), ...extra });
      res.end(req.method === 'HEAD' ? undefined : markup);
    },
    sendMessage(req, res, status, title, message, signedIn, extra = {}) {
      const body = html`<p class="${status >= 400 ? 'problem' : 'done'}" role="${status >= 400 ? 'alert' : 'status'}">${message}</p>
<p><a href="${signedIn ? '/access' : '/sign-in'}">${signedIn ? 'Back to my access' : 'Sign in'}</a></p>`;
      frame.sendHtml(req, res, status, dashboardPage({ title, body, viewer: signedIn ? { viewer: signedIn.viewer, csrf: signedIn.csrf } : null }), extra);
    },
    async currentSession(req) {
      const secret = await cookies.readSession(req, deps.clock.now());
      if (secret === null) return null;
      const resumed = await resumeWebSession(deps, secret, options.sessionLimits);
      if (!resumed.ok) return null;
      const idHash = hashSecret(secret);
      return { secret, idHash, csrf: csrfTokenFor(options.csrfKey, idHash), viewer: viewerOf(resumed.principal, resumed.session.evidence) };
    },
  };

  function signInOrNull(): SignInSettings | null {
    return options.signIn();
  }

  const signInPages = signInRoutes(frame);

  async function runRoute(req: IncomingMessage, res: ServerResponse, route: PageRoute, params: Record<string, string>, form: URLSearchParams, signedIn: SignedIn, resumed: boolean): Promise<void> {
    if (!mayOpen(route, signedIn.viewer)) {
      logger.info({ path: route.path, principal: signedIn.viewer.principal.id, access: route.access }, 'dashboard page refused: role');
      return frame.sendMessage(req, res, 403, 'Not allowed', route.access === 'admin' ? 'This page is for Elevate admins.' : 'This page is for Elevate admins and auditors.', signedIn);
    }
    const controller = new AbortController();
    res.once('close', () => controller.abort());
    const url = new URL(req.url ?? '/', options.publicUrl);
    if (resumed) url.search = '';
    const call: PageCall = {
      deps,
      viewer: signedIn.viewer,
      actor: { principalId: signedIn.viewer.principal.id, via: 'web' },
      url,
      params,
      form,
      csrf: signedIn.csrf,
      now: deps.clock.now(),
      signal: controller.signal,
    };
    let answer: PageAnswer;
    try {
      answer = await route.handle(call);
    } catch (error) {
      const challenge = route.method === 'POST' ? challengeOf(error) : null;
      if (challenge === null) return refuse(req, res, error, route, signedIn);
      // A use case that checks the sign-in itself (the requester's verification) says so by its error.
      answer = { kind: 'step_up', ...challenge, why: (error as Error).message };
    }
    return answerWith(req, res, answer, route, form, signedIn, resumed);
  }

  async function answerWith(req: IncomingMessage, res: ServerResponse, answer: PageAnswer, route: PageRoute, form: URLSearchParams, signedIn: SignedIn, resumed: boolean): Promise<void> {
    switch (answer.kind) {
      case 'page':
        return frame.sendHtml(req, res, answer.status ?? 200, dashboardPage({ title: answer.title, body: answer.body, section: answer.section, live: answer.live, viewer: { viewer: signedIn.viewer, csrf: signedIn.csrf } }));
      case 'redirect':
        return sendRedirect(res, answer.location, headers());
      case 'download': {
        const filename = answer.filename.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
        res.writeHead(200, { ...headers(), 'content-type': answer.contentType, 'content-disposition': `attachment; filename="${filename}"` });
        res.end(answer.body);
        return;
      }
      case 'step_up':
        return stepUp(req, res, answer, route, form, signedIn, resumed);
    }
  }

  /** RFC 9470 for a browser: sign in again at the provider with the scope's demands, then run the POST again. */
  async function stepUp(req: IncomingMessage, res: ServerResponse, answer: Extract<PageAnswer, { kind: 'step_up' }>, route: PageRoute, form: URLSearchParams, signedIn: SignedIn, resumed: boolean): Promise<void> {
    if (route.method !== 'POST') return refuse(req, res, new ElevateError('internal', 'A page asked for a step-up on a GET.'), route, signedIn);
    if (resumed) {
      // Back from the provider and still not enough (another acr, an old login): say so, don't loop.
      return frame.sendMessage(req, res, 403, 'Not verified', `Your sign-in did not meet what this action needs: ${answer.why}`, signedIn, { 'set-cookie': cookies.clearSignIn() });
    }
    const settings = signInOrNull();
    if (!settings) return frame.sendMessage(req, res, 503, 'Sign-in unavailable', 'This action needs a multi-factor sign-in, and this Elevate has no OpenID provider to ask for one.', signedIn);
    const saved = new URLSearchParams([...form].filter(([name]) => name !== CSRF_FIELD)).toString();
    if (Buffer.byteLength(saved) > MAX_RESUMED_FORM_BYTES) return frame.sendMessage(req, res, 413, 'Not verified', 'What you typed is too long to carry through the sign-in. Shorten it and try again.', signedIn);
    try {
      const { authorizationUrl, pending } = beginSignIn(settings, { acrValues: answer.acrValues, maxAgeSec: answer.maxAgeSec });
      const postedPath = new URL(req.url ?? '/', options.publicUrl).pathname as `/${string}`;
      const sealed: SealedSignIn = { pending, returnTo: '/access', resume: { sessionIdHash: signedIn.idHash, path: postedPath, form: saved } };
      logger.info({ path: route.path, principal: signedIn.viewer.principal.id }, 'dashboard step-up sign-in started');
      sendRedirect(res, authorizationUrl.href, { ...headers(), 'set-cookie': await cookies.signIn(sealed, deps.clock.now()) });
    } catch (error) {
      return refuse(req, res, error, route, signedIn);
    }
  }

  function refuse(req: IncomingMessage, res: ServerResponse, error: unknown, route: PageRoute | null, signedIn: SignedIn | null, extra: Record<string, string> = {}): void {
    const code = isElevateError(error) ? error.code : 'internal';
    const status = httpStatusOf(code);
    const facts = { path: route?.path, status, code, reason: isElevateError(error) ? error.details['reason'] : undefined, principal: signedIn?.viewer.principal.id };
    if (status >= 500 && code !== 'issuer_unavailable') logger.error({ ...facts, err: describeError(error) }, 'dashboard action failed');
    else logger.info(facts, `dashboard action refused: ${code}`);
    const message = isElevateError(error) && isShowableStatus(code) ? error.message : 'Something went wrong on our side. Try again; if it keeps failing, tell your Elevate admins.';
    const title = status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : status >= 500 ? 'Something went wrong' : 'Not done';
    frame.sendMessage(req, res, status, title, message, signedIn, extra);
  }

  /** After a step-up sign-in: the session must be the one that asked, the person the same; then the POST runs again. */
  async function resumeAfterStepUp(req: IncomingMessage, res: ServerResponse, sealed: SealedSignIn, callbackUrl: URL): Promise<void> {
    const resume = sealed.resume!;
    const clear = { 'set-cookie': cookies.clearSignIn() };
    const before = await frame.currentSession(req);
    if (!before || before.idHash !== resume.sessionIdHash) return frame.sendMessage(req, res, 401, 'Signed out', 'Your dashboard session has ended. Sign in again, then repeat what you were doing.', null, clear);
    const settings = signInOrNull();
    if (!settings) return frame.sendMessage(req, res, 503, 'Sign-in unavailable', 'This Elevate has no OpenID provider to sign in with.', before, clear);
    try {
      const evidence = await redeemSignIn(settings, sealed.pending, callbackUrl);
      await reauthenticateWebSession(deps, before.secret, evidence);
    } catch (error) {
      return refuse(req, res, error, null, before, clear);
    }
    const signedIn = await frame.currentSession(req);
    const match = matchPageRoute(routes, 'POST', resume.path);
    if (!signedIn || match.kind !== 'found') return frame.sendMessage(req, res, 400, 'Not done', 'That action is no longer available. Start it again.', signedIn, clear);
    logger.info({ path: match.route.path, principal: signedIn.viewer.principal.id }, 'dashboard step-up verified; running the action again');
    res.setHeader('set-cookie', cookies.clearSignIn());
    return runRoute(req, res, match.route, match.params, new URLSearchParams(resume.form), signedIn, true);
  }

  async function serveAsset(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
    assets ??= loadAssets();
    const asset = req.method === 'GET' || req.method === 'HEAD' ? assets.get(rest) : undefined;
    if (!asset) return frame.sendMessage(req, res, 404, 'Not found', 'There is no page here.', null);
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, { etag: asset.etag });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': asset.contentType, 'content-length': String(asset.body.length), etag: asset.etag, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', 'cross-origin-resource-policy': 'same-origin' });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  }

  return async (req, res, path) => {
    if (path.startsWith('/assets/')) return serveAsset(req, res, path.slice('/assets'.length));
    if (await signInPages.handles(req, res, path, { resumeAfterStepUp })) return;

    const match = matchPageRoute(routes, req.method ?? 'GET', path);
    const isEvents = path === '/events' && (req.method === 'GET' || req.method === 'HEAD') && options.changeFeed !== undefined;
    if (match.kind === 'none' && path !== '/' && !isEvents) return frame.sendMessage(req, res, 404, 'Not found', 'There is no page here.', null);
    if (match.kind === 'wrong_method') return frame.sendMessage(req, res, 405, 'Not allowed', 'This page does not take that request.', null, { allow: match.allow.join(', ') });

    const signedIn = await frame.currentSession(req);
    if (!signedIn) {
      if (req.method === 'GET' || req.method === 'HEAD') {
        const wanted = new URL(req.url ?? '/', options.publicUrl);
        const returnTo = path === '/' || isEvents ? '' : `?return_to=${encodeURIComponent(wanted.pathname + wanted.search)}`;
        return sendRedirect(res, `/sign-in${returnTo}`, { ...headers(), ...closeIfUnread(req) });
      }
      return frame.sendMessage(req, res, 401, 'Signed out', 'Your dashboard session has ended. Sign in again, then repeat what you were doing.', null);
    }
    if (path === '/') return sendRedirect(res, '/access', headers());
    if (isEvents) {
      const controller = new AbortController();
      res.once('close', () => controller.abort());
      return options.changeFeed!(req, res, controller.signal);
    }
    if (match.kind !== 'found') return;

    let form = new URLSearchParams();
    if (match.route.method === 'POST') {
      if (!postedFromThisOrigin(req, publicOrigin)) {
        logger.warn({ path: match.route.path, principal: signedIn.viewer.principal.id, sec_fetch_site: String(req.headers['sec-fetch-site'] ?? '').slice(0, 20) }, 'dashboard POST refused: not from this origin');
        return frame.sendMessage(req, res, 403, 'Not allowed', 'This form was not sent from an Elevate page. Open the dashboard and try again.', signedIn);
      }
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const body = type === 'application/x-www-form-urlencoded' ? await readBodyWithin(req, MAX_FORM_BYTES) : null;
      if (body === null) return frame.sendMessage(req, res, type === 'application/x-www-form-urlencoded' ? 413 : 415, 'Not done', 'That form is not one of ours.', signedIn);
      form = new URLSearchParams(body);
      const presented = form.getAll(CSRF_FIELD);
      if (presented.length !== 1 || !csrfTokenMatches(signedIn.csrf, presented[0]!)) {
        logger.warn({ path: match.route.path, principal: signedIn.viewer.principal.id }, 'dashboard POST refused: CSRF token missing or wrong');
        return frame.sendMessage(req, res, 403, 'Not allowed', 'This form has expired or was not sent from your dashboard. Reload the page and try again.', signedIn);
      }
    }
    return runRoute(req, res, match.route, match.params, form, signedIn, false);
  };
}

/** What the dashboard's frame shares with its sign-in pages. */
export interface Frame {
  deps: ChatDeps;
  logger: Logger;
  cookies: SessionCookies;
  publicUrl: string;
  publicOrigin: string;
  headers(): Record<string, string>;
  signIn(): SignInSettings | null;
  sendHtml(req: IncomingMessage, res: ServerResponse, status: number, markup: string, extra?: Record<string, string | string[]>): void;
  sendMessage(req: IncomingMessage, res: ServerResponse, status: number, title: string, message: string, signedIn: SignedIn | null, extra?: Record<string, string | string[]>): void;
  currentSession(req: IncomingMessage): Promise<SignedIn | null>;
}

export function viewerOf(principal: Principal, evidence: Viewer['evidence']): Viewer {
  return { principal, isAdmin: principal.isAdmin, mayReadAudit: mayReadAuditTrail(principal), evidence };
}

/** The RFC 9470 challenge of a `step_up_required` error (its `challenge` detail), or null. */
function challengeOf(error: unknown): { acrValues: string[]; maxAgeSec: number } | null {
  if (!isElevateError(error, 'step_up_required')) return null;
  const challenge = error.details['challenge'] as { acrValues?: unknown; maxAgeSec?: unknown } | undefined;
  if (!challenge || !Array.isArray(challenge.acrValues) || typeof challenge.maxAgeSec !== 'number') return null;
  return { acrValues: challenge.acrValues.filter((value): value is string => typeof value === 'string'), maxAgeSec: challenge.maxAgeSec };
}

function mayOpen(route: PageRoute, viewer: Viewer): boolean {
  if (route.access === 'admin') return viewer.isAdmin;
  if (route.access === 'audit') return viewer.mayReadAudit;
  return true;
}
