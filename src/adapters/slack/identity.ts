import type { WebClient } from './web-client.ts';
import type { Actor } from '../../app/actor.ts';
import type { Logger } from '../../logging/logger.ts';
import type { StoreReader } from '../../ports/store.ts';

type SlackUser = NonNullable<Awaited<ReturnType<WebClient['users']['info']>>['user']>;

/**
 * Who a Slack user is to Elevate. The explicit link from the configuration always wins. Only
 * when `SLACK_IDENTITY_EMAIL_LOOKUP` is on, an unlinked user is matched by the e-mail address
 * Slack reports (`users.info`, needs `users:read.email`) — weaker, because anyone who can change
 * e-mail addresses in the Slack workspace can then act as the matching principal. So the match
 * is refused unless the user is a full member of this workspace (`team_id` is the bot's own,
 * not a Slack Connect user from another organisation: `is_stranger`), not a guest
 * (`is_restricted`, `is_ultra_restricted`), with a confirmed address (`is_email_confirmed`), and
 * the actor it yields says it was matched by e-mail, for the audit trail.
 * Without a match the chat identity is returned as is and the core refuses it with a clear message.
 */
export async function resolveSlackActor(input: {
  store: StoreReader;
  client: WebClient;
  emailLookup: boolean;
  userId: string;
  /** The bot's own workspace (`auth.test`'s `team_id`). */
  workspaceTeamId: () => Promise<string | undefined>;
  logger?: Logger;
}): Promise<Actor> {
  const linked: Actor = { platform: 'slack', userId: input.userId };
  if (!input.emailLookup || (await input.store.findPrincipalByIdentity('slack', input.userId))) return linked;
  const { user } = await input.client.users.info({ user: input.userId });
  const email = user?.profile?.email?.toLowerCase();
  if (!user || !email) return linked;
  const refusal = whyNotMatchable(user, await input.workspaceTeamId());
  if (refusal !== null) {
    input.logger?.warn({ slack_user: input.userId, refused: refusal }, 'slack: an unlinked user was not matched by e-mail');
    return linked;
  }
  const matches = (await input.store.listPrincipals()).filter((p) => p.email?.toLowerCase() === email);
  return matches.length === 1 ? { principalId: matches[0]!.id, matchedBy: { platform: 'slack', userId: input.userId, by: 'email' } } : linked;
}

/** Why this Slack user's e-mail address must not stand in for an identity, or null when it may. */
function whyNotMatchable(user: SlackUser, workspaceTeamId: string | undefined): string | null {
  if (user.deleted) return 'deactivated';
  if (user.is_bot || user.is_app_user) return 'bot';
  if (user.is_stranger) return 'external (Slack Connect)';
  if (!workspaceTeamId || user.team_id !== workspaceTeamId) return 'not a member of this workspace';
  if (user.is_restricted || user.is_ultra_restricted) return 'guest';
  if (user.is_email_confirmed !== true) return 'e-mail address not confirmed';
  return null;
}
