import type { ChatDeps } from '../../../../src/app/chat/chat-deps.ts';
import { ChatPlatforms } from '../../../../src/app/chat/chat-platforms.ts';
import { MessageRefreshes } from '../../../../src/app/chat/message-refreshes.ts';
import type { PageAnswer, PageCall, PageRoute } from '../../../../src/adapters/web/dashboard/page-route.ts';
import { mayReadAuditTrail } from '../../../../src/domain/principal.ts';
import { KeyedSerializer } from '../../../../src/shared/keyed-serializer.ts';
import { aPrincipal } from '../../../support/builders.ts';
import { coreHarness, type CoreHarness } from '../../../support/core-harness.ts';

export type PageHarness = CoreHarness & ChatDeps;

/** The core harness (alice, bob, carol, dave, erin the admin) with grace the auditor, as the dashboard's deps. */
export async function pageHarness(extra: Partial<Omit<ChatDeps, 'store' | 'clock' | 'issuer'>> = {}): Promise<PageHarness> {
  const core = await coreHarness();
  await core.store.transaction((tx) => tx.putPrincipal(aPrincipal({ id: 'grace', isAuditor: true })));
  return { ...core, platforms: new ChatPlatforms(), refreshes: new MessageRefreshes(), notices: new KeyedSerializer(), ...extra };
}

export const CSRF = 'csrf-token-of-the-session';

/**
 * Calls a route as the dashboard's frame would once the session, CSRF token and access rule were
 * checked: `as` is the signed-in principal, `path` the URL's path and query, `form` a POST's fields.
 */
export async function callRoute(h: PageHarness, route: PageRoute, input: { as: string; path: string; form?: Record<string, string> }): Promise<PageAnswer> {
  const principal = await h.store.getPrincipal(input.as);
  if (!principal) throw new Error(`test setup: no principal ${input.as}`);
  const call: PageCall = {
    deps: h,
    viewer: { principal, isAdmin: principal.isAdmin, mayReadAudit: mayReadAuditTrail(principal), evidence: { subject: principal.id, authTime: h.clock.now(), acr: null, amr: ['pwd'] } },
    actor: { principalId: principal.id, via: 'web' },
    url: new URL(input.path, 'https://elevate.example.com'),
    params: {},
    form: new URLSearchParams(input.form ?? {}),
    csrf: CSRF,
    now: h.clock.now(),
    signal: new AbortController().signal,
  };
  return route.handle(call);
}

/** The markup of a page answer; fails the test when the answer is anything else. */
export function markupOf(answer: PageAnswer): string {
  if (answer.kind !== 'page') throw new Error(`expected a page, got ${answer.kind}`);
  return answer.body.markup;
}
