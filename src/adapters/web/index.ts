import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatDeps } from '../../app/chat/chat-deps.ts';
import type { StepUpSettings } from '../../app/step-up/index.ts';
import type { PersonAuthenticator } from '../../ports/person-authenticator.ts';
import type { Logger } from '../../logging/logger.ts';
import { needsSecureCookies } from './http/public-origin.ts';
import { STEP_UP_PATH, stepUpRoutes } from './step-up/step-up-routes.ts';

export { STEP_UP_PATH } from './step-up/step-up-routes.ts';

export interface WebAdapterOptions {
  deps: ChatDeps;
  /** `$ELEVATE_PUBLIC_URL`, without a trailing slash. */
  publicUrl: string;
  logger: Logger;
  /** Origins a page's form may lead to besides this one: the OpenID provider's sign-in. */
  formTargets: () => readonly string[];
}

type WebHandler = (req: IncomingMessage, res: ServerResponse, context: { path: string }) => Promise<void>;

export interface WebAdapter {
  /** Mounted on the one server, each owning every path under its prefix. */
  readonly mounts: ReadonlyArray<{ prefix: string; handler: WebHandler }>;
}

/**
 * The browser front door, beside Slack, Teams and the API: server-rendered pages that call the
 * use cases of `src/app`, with escaping by construction, a strict CSP and no script. Today it
 * serves the step-up sign-in pages (`step-up/`); the dashboard will be mounted beside them and
 * share `layout/` and `http/` (security headers, cookies).
 */
export function createWebAdapter(options: WebAdapterOptions): WebAdapter {
  const stepUp = stepUpRoutes(options);
  if (needsSecureCookies(options.publicUrl) && options.publicUrl.startsWith('http:')) {
    // Browsers drop a Secure cookie set over http, so the sign-in could never come back bound.
    options.logger.warn({ public_url: options.publicUrl }, 'web: ELEVATE_PUBLIC_URL is plain http beyond loopback; browsers will not keep the step-up cookie, so step-up sign-ins will fail. Serve Elevate over https.');
  }
  return {
    mounts: [{ prefix: STEP_UP_PATH, handler: (req, res, context) => stepUp(req, res, context.path) }],
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
