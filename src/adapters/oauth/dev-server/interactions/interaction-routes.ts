import type { InteractionDetails, InteractionResult, KoaContext, KoaMiddleware, Provider } from 'oidc-provider';
import type { Logger } from '../../../../logging/logger.ts';
import type { DevPrincipal, ListDevPrincipals } from '../dev-principals.ts';
import { CANCELLED_DESCRIPTION, errorBody } from '../pages/device-pages.ts';
import { page } from '../pages/html.ts';
import { grantWhatWasAsked } from './auto-consent.ts';
import type { DevTotpSecretsFile } from '../totp/totp-secrets-file.ts';
import { checkPick, codeForm, codeOf, codeProblem, loginForm, loginResult, MAX_WRONG_CODES, peopleOf } from './dev-login.ts';
import { FormRejected, readForm } from './read-form.ts';
import { WrongCodeCounter } from './wrong-code-counter.ts';

export interface InteractionRoutesDeps {
  provider: Provider;
  /** The issuer's path (`/oauth`): pages link to absolute paths under it. */
  issuerPath: string;
  listPrincipals: ListDevPrincipals;
  /** The people's TOTP secrets (and last accepted steps): the login's second step. */
  totp: DevTotpSecretsFile;
  logger: Logger;
  /** The clock of codes and `auth_time`; oidc-provider's own is `Date.now`, so keep it that. */
  nowMs?: () => number;
}

/** Where oidc-provider sends the browser for an interaction (`interactions.url`). */
export function interactionPath(issuerPath: string, uid: string): string {
  return `${issuerPath}/interaction/${encodeURIComponent(uid)}`;
}

const ROUTE = /^\/interaction\/([A-Za-z0-9_-]{1,64})(\/login|\/code|\/abort)?$/;

/**
 * The interaction pages oidc-provider hands over to (its `devInteractions` stay off):
 * `GET /interaction/:uid` shows the login page or settles consent without a page;
 * `POST /interaction/:uid/login` takes the pick and shows the code step, `/code` takes the pick
 * and the code and signs the person in, `/abort` cancels. Their CSRF protection is
 * the interaction's own: the `_interaction` cookie (SameSite=Lax, scoped to this path) must name
 * the same interaction as the unguessable uid in the URL.
 */
export function interactionRoutes(deps: InteractionRoutesDeps): KoaMiddleware {
  const nowMs = deps.nowMs ?? (() => Date.now());
  const wrongCodes = new WrongCodeCounter(nowMs);
  return async (ctx, next) => {
    const match = ROUTE.exec(ctx.path);
    if (match === null) return next();
    const [, uid, action] = match as unknown as [string, string, string | undefined];
    try {
      if (action === undefined && ctx.method === 'GET') return await showInteraction(ctx, deps, uid);
      if (action === '/login' && ctx.method === 'POST') return await submitPick(ctx, deps, uid);
      if (action === '/code' && ctx.method === 'POST') return await submitCode(ctx, deps, uid, wrongCodes, nowMs());
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

/** The first step: who the person says they are. Answers with the code step for them. */
async function submitPick(ctx: KoaContext, deps: InteractionRoutesDeps, uid: string): Promise<void> {
  const form = await readForm(ctx.req);
  const details = await loginInteractionOf(ctx, deps, uid);
  if (details === null) return;
  const pick = checkPick(form, peopleOf(await deps.listPrincipals()));
  if (!pick.ok) return showLogin(ctx, deps, details, pick.problem, 400);
  // The secret exists from here on, so `npm run dev:otp` and the file show the same one.
  await deps.totp.entryFor(pick.person.id);
  return showCode(ctx, deps, details.uid, pick.person, null, 200);
}

/** The second step: the pick again and its code; only a right, unused code signs the person in. */
async function submitCode(ctx: KoaContext, deps: InteractionRoutesDeps, uid: string, wrongCodes: WrongCodeCounter, nowMs: number): Promise<void> {
  const form = await readForm(ctx.req);
  const details = await loginInteractionOf(ctx, deps, uid);
  if (details === null) return;
  const pick = checkPick(form, peopleOf(await deps.listPrincipals()));
  if (!pick.ok) return showLogin(ctx, deps, details, pick.problem, 400);
  const { person } = pick;
  const clientId = details.params['client_id'];
  // Checked before the code, so a locked-out person's right code is not even looked at.
  if (wrongCodes.count(person.id) >= MAX_WRONG_CODES) return tooManyWrongCodes(ctx, deps, wrongCodes, person, clientId);
  const check = await deps.totp.checkCode(person.id, codeOf(form), nowMs);
  if (check !== 'accepted') {
    const wrong = wrongCodes.add(person.id);
    deps.logger.info({ sub: person.id, client_id: clientId, refused: check, wrong_codes: wrong }, 'development AS refused a one-time code');
    if (wrong >= MAX_WRONG_CODES) return tooManyWrongCodes(ctx, deps, wrongCodes, person, clientId);
    return showCode(ctx, deps, details.uid, person, codeProblem(check, person, MAX_WRONG_CODES - wrong), 400);
  }
  wrongCodes.forget(person.id);
  const result = loginResult(person, Math.floor(nowMs / 1000));
  deps.logger.info({ sub: person.id, client_id: clientId, acr: result.login.acr, amr: result.login.amr }, 'development AS signed a person in with a one-time code (development only)');
  return finish(ctx, deps, result, { merge: false });
}

/** Ends the sign-in: the person had too many wrong codes lately (the client sees access_denied). */
function tooManyWrongCodes(ctx: KoaContext, deps: InteractionRoutesDeps, wrongCodes: WrongCodeCounter, person: DevPrincipal, clientId: unknown): Promise<void> {
  deps.logger.warn({ sub: person.id, client_id: clientId }, 'development AS ended a sign-in: too many wrong one-time codes for this person');
  const description = `too many wrong one-time codes for ${person.id}; try again in ${wrongCodes.secondsLeft(person.id)} s`;
  return finish(ctx, deps, { error: 'access_denied', error_description: description }, { merge: false });
}

async function abort(ctx: KoaContext, deps: InteractionRoutesDeps, uid: string): Promise<void> {
  await interactionOf(ctx, deps, uid);
  return finish(ctx, deps, { error: 'access_denied', error_description: CANCELLED_DESCRIPTION }, { merge: false });
}

/** The interaction, answering the page itself (and null) when it is not waiting for a login. */
async function loginInteractionOf(ctx: KoaContext, deps: InteractionRoutesDeps, uid: string): Promise<InteractionDetails | null> {
  const details = await interactionOf(ctx, deps, uid);
  if (details.prompt.name === 'login') return details;
  answerPage(ctx, 400, 'Sign-in refused', 'This sign-in is not waiting for a login.');
  return null;
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
    clientName: await clientNameOf(deps.provider, clientId),
    people: peopleOf(await deps.listPrincipals()),
    problem,
  });
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = page('Who are you?', body);
}

function showCode(ctx: KoaContext, deps: InteractionRoutesDeps, uid: string, person: DevPrincipal, problem: string | null, status: number): void {
  const base = interactionPath(deps.issuerPath, uid);
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = page('Your one-time code', codeForm({ codeAction: `${base}/code`, abortAction: `${base}/abort`, restart: base, person, problem }));
}

async function finish(ctx: KoaContext, deps: InteractionRoutesDeps, result: InteractionResult, options: { merge: boolean }): Promise<void> {
  const returnTo = await deps.provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: options.merge });
  ctx.status = 303;
  ctx.redirect(returnTo);
}

/** The client's name as registered (`The Elevate CLI`), else its id. */
async function clientNameOf(provider: Provider, clientId: unknown): Promise<string> {
  if (typeof clientId !== 'string') return 'A client';
  const client = await provider.Client.find(clientId).catch(() => undefined);
  return client?.clientName ?? clientId;
}

function answerPage(ctx: KoaContext, status: number, title: string, description: string): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = page(title, errorBody(status === 405 ? 'method_not_allowed' : 'invalid_request', description));
}

function isSessionNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === 'SessionNotFound';
}
