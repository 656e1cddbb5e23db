import { viewerOf } from '../../src/adapters/web/dashboard/dashboard.ts';
import type { PageAnswer, PageCall, PageRoute } from '../../src/adapters/web/dashboard/page-route.ts';
import { matchPageRoute } from '../../src/adapters/web/dashboard/route-match.ts';
import type { ChatDeps } from '../../src/app/chat/chat-deps.ts';
import type { AuthenticationEvidence } from '../../src/domain/step-up.ts';

export const TEST_CSRF = 'csrf-token-of-the-session';

/**
 * Runs the dashboard route of `method path` as the frame would once the session, the CSRF token
 * and the access rule were checked: matched by the frame's own route matcher, `as` signed in with
 * `evidence` (a password sign-in just now unless given), `form` a POST's fields.
 */
export async function callPage(
  deps: ChatDeps,
  routes: readonly PageRoute[],
  input: { as: string; method?: 'GET' | 'POST'; path: string; form?: Record<string, string>; evidence?: AuthenticationEvidence },
): Promise<PageAnswer> {
  const url = new URL(input.path, 'https://elevate.example.com');
  const match = matchPageRoute(routes, input.method ?? 'GET', url.pathname);
  if (match.kind !== 'found') throw new Error(`test setup: no route for ${input.method ?? 'GET'} ${url.pathname}`);
  const principal = await deps.store.getPrincipal(input.as);
  if (!principal) throw new Error(`test setup: no principal ${input.as}`);
  const now = deps.clock.now();
  const call: PageCall = {
    deps,
    viewer: viewerOf(principal, input.evidence ?? { subject: principal.id, authTime: now, acr: null, amr: ['pwd'] }),
    actor: { principalId: principal.id, via: 'web' },
    url,
    params: match.params,
    form: new URLSearchParams(input.form ?? {}),
    csrf: TEST_CSRF,
    now,
    signal: new AbortController().signal,
  };
  return match.route.handle(call);
}
