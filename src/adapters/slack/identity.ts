import type { WebClient } from './web-client.ts';
import type { Actor } from '../../app/actor.ts';
import type { StoreReader } from '../../ports/store.ts';

/**
 * Who a Slack user is to Elevate. The explicit link from the configuration always wins. Only
 * when `SLACK_IDENTITY_EMAIL_LOOKUP` is on, an unlinked user is matched by the e-mail address
 * Slack reports (`users.info`, needs `users:read.email`) — weaker, because anyone who can change
 * e-mail addresses in the Slack workspace can then act as the matching principal.
 * Without a match the chat identity is returned as is and the core refuses it with a clear message.
 */
export async function resolveSlackActor(input: { store: StoreReader; client: WebClient; emailLookup: boolean; userId: string }): Promise<Actor> {
  const linked: Actor = { platform: 'slack', userId: input.userId };
  if (!input.emailLookup || (await input.store.findPrincipalByIdentity('slack', input.userId))) return linked;
  const info = await input.client.users.info({ user: input.userId });
  const email = info.user?.profile?.email?.toLowerCase();
  if (!email || info.user?.deleted || info.user?.is_bot) return linked;
  const matches = (await input.store.listPrincipals()).filter((p) => p.email?.toLowerCase() === email);
  return matches.length === 1 ? { principalId: matches[0]!.id } : linked;
}
