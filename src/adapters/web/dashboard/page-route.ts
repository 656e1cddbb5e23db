import type { ChatDeps } from '../../../app/chat/chat-deps.ts';
import type { Actor } from '../../../app/actor.ts';
import type { Principal } from '../../../domain/principal.ts';
import type { AuthenticationEvidence } from '../../../domain/step-up.ts';
import type { SafeHtml } from '../../../shared/html/html.ts';

/**
 * Who is looking at a dashboard page: the principal the session was signed in as (read again
 * from the store on every request, so a role taken away in the config is gone at once), and the
 * sign-in's own evidence (`auth_time`, `acr`, `amr`), which approvals on MFA scopes are checked
 * against exactly like an API token's.
 */
export interface Viewer {
  principal: Principal;
  /** Admins: the operations page and channel mappings, and the audit trail. */
  isAdmin: boolean;
  /** Admins and the config's `auditors`: the audit trail, read-only. */
  mayReadAudit: boolean;
  /** The most recent sign-in of this session (the first, or a step-up since). */
  evidence: AuthenticationEvidence;
}

/** Who may open a page: anyone signed in, admins only, or those who may read the audit trail. */
export type PageAccess = 'signed_in' | 'admin' | 'audit';

/**
 * One call of a dashboard page, as the dashboard's frame hands it over: the session is already
 * checked (and for a POST, its CSRF token and origin), the access rule already applied.
 */
export interface PageCall {
  deps: ChatDeps;
  viewer: Viewer;
  /** The viewer as the use cases of `src/app` take them: `via: 'web'` in the audit trail. */
  actor: Actor & { principalId: string };
  /** The request's URL on the public origin: read query parameters from `url.searchParams`. */
  url: URL;
  /** `{id}` and other placeholders of the route's path. */
  params: Record<string, string>;
  /** A POST's form fields (`application/x-www-form-urlencoded`); empty for a GET. */
  form: URLSearchParams;
  /** The session's CSRF token: every form that POSTs carries it (see `postForm` in forms.ts). */
  csrf: string;
  now: Date;
  /** Aborted when the browser goes away (long answers such as server-sent events watch it). */
  signal: AbortSignal;
}

/** What a page answers; the frame adds the security headers and the layout around a page. */
export type PageAnswer =
  | {
      kind: 'page';
      title: string;
      body: SafeHtml;
      status?: number;
      /** The navigation entry to highlight. */
      section?: DashboardSection;
      /** The page refreshes its `<main>` when anything changes (server-sent events; see live/). */
      live?: boolean;
    }
  /** 303 to a path of this dashboard (never another origin): after every successful POST. */
  | { kind: 'redirect'; location: `/${string}` }
  /** A file to save (the audit export): `Content-Disposition: attachment`. */
  | { kind: 'download'; filename: string; contentType: string; body: string }
  /**
   * The action needs a fresher or stronger sign-in (RFC 9470's challenge, for a browser): the
   * frame sends the person to the OpenID provider with these and, once they are back with a
   * sign-in that satisfies them, runs the same POST again with the same form.
   */
  | { kind: 'step_up'; acrValues: readonly string[]; maxAgeSec: number; why: string };

export type DashboardSection = 'access' | 'review' | 'audit' | 'operations';

/**
 * A page or a form action of the dashboard. Paths are exact, with `{name}` placeholders matching
 * one segment of `[A-Za-z0-9_-]`; every POST answers with a redirect (or a page that says what
 * went wrong), never with a page that a reload would post again.
 */
export interface PageRoute {
  method: 'GET' | 'POST';
  path: `/${string}`;
  access: PageAccess;
  handle(call: PageCall): Promise<PageAnswer>;
}

export function page(title: string, body: SafeHtml, options: { status?: number; section?: DashboardSection; live?: boolean } = {}): PageAnswer {
  return { kind: 'page', title, body, ...options };
}

export function redirect(location: `/${string}`): PageAnswer {
  return { kind: 'redirect', location };
}
