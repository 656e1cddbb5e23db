import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatDeps } from '../../app/chat/chat-deps.ts';
import type { StepUpSettings } from '../../app/step-up/index.ts';
import type { PersonAuthenticator } from '../../ports/person-authenticator.ts';
import type { Logger } from '../../logging/logger.ts';
import { hkdfSync } from 'node:crypto';
import type { SignInSettings } from '../../app/web-session/index.ts';
import type { WebSessionLimits } from '../../domain/web-session.ts';
import { createDashboard, DASHBOARD_PREFIXES, type DashboardOptions } from './dashboard/dashboard.ts';
import { serveChangeFeed } from './dashboard/live/change-feed.ts';
import { needsSecureCookies } from './http/public-origin.ts';
import { CookieSealer } from './http/sealed-cookie.ts';
import { STEP_UP_PATH, stepUpRoutes } from './step-up/step-up-routes.ts';

export { STEP_UP_PATH } from './step-up/step-up-routes.ts';
export { SIGN_IN_CALLBACK_PATH } from './dashboard/sign-in-routes.ts';

export interface WebAdapterOptions {
  deps: ChatDeps;
  /** `$ELEVATE_PUBLIC_URL`, without a trailing slash. */
  publicUrl: string;
  logger: Logger;
  /** Origins a page's form may lead to besides this one: the OpenID provider's sign-in. */
  formTargets: () => readonly string[];
  /** Dashboard sign-ins at the OpenID provider, or null while (or when) it has no authorization endpoint. */
  signIn: () => SignInSettings | null;
  /** Dashboard sessions' idle and absolute limits (`ELEVATE_SESSION_IDLE`, `ELEVATE_SESSION_LIFETIME`). */
  sessionLimits: WebSessionLimits;
  /** Elevate's encryption keys (the first seals new cookies): dashboard cookies and CSRF tokens are keyed from them. */
  encryptionKeys: readonly Buffer[];
  /** `GET /events`, the dashboard's live-update stream. */
  changeFeed?: DashboardOptions['changeFeed'];
}

type WebHandler = (req: IncomingMessage, res: ServerResponse, context: { path: string }) => Promise<void>;

export interface WebAdapter {
  /** Mounted on the one server, each owning every path under its prefix. */
  readonly mounts: ReadonlyArray<{ prefix: string; handler: WebHandler }>;
  /** `GET /`: the dashboard's front page (or its sign-in). */
  readonly home: WebHandler;
}

/**
 * The browser front door, beside Slack, Teams and the API: server-rendered pages that call the
 * use cases of `src/app`, with escaping by construction and a strict CSP: the step-up sign-in
 * pages (`step-up/`, no script at all) and the dashboard (`dashboard/`: sign-in, my access,
 * review, audit, operations), sharing `http/` (security headers, cookies).
 */
export function createWebAdapter(options: WebAdapterOptions): WebAdapter {
  const stepUp = stepUpRoutes(options);
  if (needsSecureCookies(options.publicUrl) && options.publicUrl.startsWith('http:')) {
    // Browsers drop a Secure cookie set over http, so the sign-in could never come back bound.
    options.logger.warn({ public_url: options.publicUrl }, 'web: ELEVATE_PUBLIC_URL is plain http beyond loopback; browsers will not keep the step-up cookie, so step-up sign-ins will fail. Serve Elevate over https.');
  }
  const dashboard = createDashboard({
    deps: options.deps,
    publicUrl: options.publicUrl,
    logger: options.logger,
    signIn: options.signIn,
    sessionLimits: options.sessionLimits,
    sealer: new CookieSealer(options.encryptionKeys),
    csrfKey: new Uint8Array(hkdfSync('sha256', options.encryptionKeys[0]!, Buffer.alloc(0), 'elevate csrf v1', 32)),
    secureCookies: needsSecureCookies(options.publicUrl),
    formTargets: options.formTargets,
    changeFeed: options.changeFeed ?? ((req, res, signal) => serveChangeFeed(req, res, { store: options.deps.store, signal })),
  });
  return {
    mounts: [
      { prefix: STEP_UP_PATH, handler: (req, res, context) => stepUp(req, res, context.path) },
      // The dashboard owns its sections' paths and its sign-in; the server hands over the path
      // below the prefix, and the dashboard matches whole paths.
      ...DASHBOARD_PREFIXES.map((prefix) => ({ prefix, handler: (req: IncomingMessage, res: ServerResponse, context: { path: string }) => dashboard(req, res, context.path === '/' ? prefix : `${prefix}${context.path}`) })),
    ],
    home: (req, res) => dashboard(req, res, '/'),
  };
}

/**
 * Step-up as these pages serve it: links to `/auth/step-up/<ticket>` and the provider's callback
 * to `/auth/step-up/callback` (register that redirect URI for Elevate's client at the provider).
 */
export function stepUpSettings(publicUrl: string, authenticator: PersonAuthenticator): StepUpSettings {
  const base = `${publicUrl.replace(/\/+$/, '')}${STEP_UP_PATH}`;
  return { authenticator, redirectUri: `${base}/callback`, linkFor: (ticket) => `${base}/${ticket}` };
}
