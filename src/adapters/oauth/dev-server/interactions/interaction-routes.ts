import type { InteractionDetails, InteractionResult, KoaContext, KoaMiddleware, Provider } from 'oidc-provider';
import type { Logger } from '../../../../logging/logger.ts';
import type { ListDevPrincipals } from '../dev-principals.ts';
import { errorBody } from '../pages/device-pages.ts';
import { page } from '../pages/html.ts';
import { grantWhatWasAsked } from './auto-consent.ts';
import { checkLogin, loginForm, peopleOf } from './dev-login.ts';
import { FormRejected, readForm } from './read-form.ts';

export interface InteractionRoutesDeps {
  provider: Provider;
  /** The issuer's path (`/oauth`): pages link to absolute paths under it. */
  issuerPath: string;
  listPrincipals: ListDevPrincipals;
  logger: Logger;
  nowSec?: () => number;
}

/** Where oidc-provider sends the browser for an interaction (`interactions.url`). */
export function interactionPath(issuerPath: string, uid: string): string {
  return `${issuerPath}/interaction/${encodeURIComponent(uid)}`;
}

const ROUTE = /^\/interaction\/([A-Za-z0-9_-]{1,64})(\/login|\/abort)?$/;

/**
 * The interaction pages oidc-provider hands over to (its `devInteractions` stay off):
 * `GET /interaction/:uid` shows the login page or settles consent without a page;
 * `POST /interaction/:uid/login` and `/abort` take the person's answer. Their CSRF protection is
 * the interaction's own: the `_interaction` cookie (SameSite=Lax, scoped to this path) must name
 * the same interaction as the unguessable uid in the URL.
 */
export function interactionRoutes(deps: InteractionRoutesDeps): KoaMiddleware {
  const nowSec = deps.nowSec ?? (() => Math.floor(Date.now() / 1000));
  return async (ctx, next) => {
    const match = ROUTE.exec(ctx.path);
    if (match === null) return next();
    const [, uid, action] = match as unknown as [string, string, string | undefined];
    try {
      if (action === undefined && ctx.method === 'GET') return await showInteraction(ctx, deps, uid);
      if (action === '/login' && ctx.method === 'POST') return await submitLogin(ctx, deps, uid, nowSec());
      if (action === '/abort' && ctx.method === 'POST') return await abort(ctx, deps, uid);
      return answerPage(ctx, 405, 'Not allowed', 'This page does not take that request.');
    } catch (error) {
      if (error instanceof FormRejected) return answerPage(ctx, error.status, 'Sign-in refused', error.message);
      if (isSessionNotFound(error)) {
        return answerPage(ctx, 400, 'Sign-in expired', 'This sign-in has expired, was finished already, or was started in another browser.');
      }
      throw error;
    }
  };
}

async function showInteraction(ctx: KoaContext, deps: InteractionRoutesDeps, uid: string): Promise<void> {
  const details = await interactionOf(ctx, deps, uid);
  if (details.prompt.name === 'login') return showLogin(ctx, deps, details, null, 200);
  if (details.prompt.name === 'consent') return finish(ctx, deps, await grantWhatWasAsked(deps.provider, details), { merge: true });
  return answerPage(ctx, 400, 'Sign-in refused', `This development server cannot complete the step "${details.prompt.name}".`);
}

async function submitLogin(ctx: KoaContext, deps: InteractionRoutesDeps, uid: string, nowSec: number): Promise<void> {
  const form = await readForm(ctx.req);
  const details = await interactionOf(ctx, deps, uid);
  if (details.prompt.name !== 'login') return answerPage(ctx, 400, 'Sign-in refused', 'This sign-in is not waiting for a login.');
  const outcome = checkLogin(form, peopleOf(await deps.listPrincipals()), nowSec);
  if (!outcome.ok) return showLogin(ctx, deps, details, outcome.problem, 400);
  deps.logger.info({ sub: outcome.result.login.accountId, client_id: details.params['client_id'] }, 'development AS signed a person in (no password: development only)');
  return finish(ctx, deps, outcome.result, { merge: false });
}

async function abort(ctx: KoaContext, deps: InteractionRoutesDeps, uid: string): Promise<void> {
  await interactionOf(ctx, deps, uid);
  return finish(ctx, deps, { error: 'access_denied', error_description: 'the person cancelled the sign-in' }, { merge: false });
}

/** The interaction the cookie names, which must be the one in the URL. */
async function interactionOf(ctx: KoaContext, deps: InteractionRoutesDeps, uid: string): Promise<InteractionDetails> {
  const details = await deps.provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== uid) throw new FormRejected(400, 'this page belongs to another sign-in; start again from your terminal');
  return details;
}

async function showLogin(ctx: KoaContext, deps: InteractionRoutesDeps, details: InteractionDetails, problem: string | null, status: number): Promise<void> {
  const base = interactionPath(deps.issuerPath, details.uid);
  const clientId = details.params['client_id'];
  const body = loginForm({
    loginAction: `${base}/login`,
    abortAction: `${base}/abort`,
    clientName: typeof clientId === 'string' ? clientId : 'A client',
    people: peopleOf(await deps.listPrincipals()),
    problem,
  });
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = page('Who are you?', body);
}

async function finish(ctx: KoaContext, deps: InteractionRoutesDeps, result: InteractionResult, options: { merge: boolean }): Promise<void> {
  const returnTo = await deps.provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: options.merge });
  ctx.status = 303;
  ctx.redirect(returnTo);
}

function answerPage(ctx: KoaContext, status: number, title: string, description: string): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = page(title, errorBody(status === 405 ? 'method_not_allowed' : 'invalid_request', description));
}

function isSessionNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === 'SessionNotFound';
}
