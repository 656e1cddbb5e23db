import type { ChatDeps } from '../../../../src/app/chat/chat-deps.ts';
import { ChatPlatforms } from '../../../../src/app/chat/chat-platforms.ts';
import { MessageRefreshes } from '../../../../src/app/chat/message-refreshes.ts';
import type { PageAnswer, PageRoute } from '../../../../src/adapters/web/dashboard/page-route.ts';
import { KeyedSerializer } from '../../../../src/shared/keyed-serializer.ts';
import { aPrincipal } from '../../../support/builders.ts';
import { coreHarness, type CoreHarness } from '../../../support/core-harness.ts';
import { callPage, TEST_CSRF } from '../../../support/page-call.ts';

export type PageHarness = CoreHarness & ChatDeps;

/** The core harness (alice, bob, carol, dave, erin the admin) with grace the auditor, as the dashboard's deps. */
export async function pageHarness(extra: Partial<Omit<ChatDeps, 'store' | 'clock' | 'issuer'>> = {}): Promise<PageHarness> {
  const core = await coreHarness();
  await core.store.transaction((tx) => tx.putPrincipal(aPrincipal({ id: 'grace', isAuditor: true })));
  return { ...core, platforms: new ChatPlatforms(), refreshes: new MessageRefreshes(), notices: new KeyedSerializer(), ...extra };
}

export const CSRF = TEST_CSRF;

/**
 * Calls a route as the dashboard's frame would once the session, CSRF token and access rule were
 * checked: `as` is the signed-in principal, `path` the URL's path and query, `form` a POST's fields.
 */
export function callRoute(h: PageHarness, route: PageRoute, input: { as: string; path: string; form?: Record<string, string> }): Promise<PageAnswer> {
  return callPage(h, [route], { as: input.as, method: route.method, path: input.path, form: input.form });
}

/** The markup of a page answer; fails the test when the answer is anything else. */
export function markupOf(answer: PageAnswer): string {
  if (answer.kind !== 'page') throw new Error(`expected a page, got ${answer.kind}`);
  return answer.body.markup;
}
