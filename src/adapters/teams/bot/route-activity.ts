import type { TurnContext } from 'botbuilder';
import type { TeamsHandlerContext } from './handler-context.ts';
import { onConversationUpdate } from './on-conversation-update.ts';
import { onInvoke } from './on-invoke.ts';
import { onMessage } from './on-message.ts';
import { rememberSafely } from './remember-conversation.ts';

/**
 * The bot's turn logic, run by the CloudAdapter for every authenticated Teams activity: dispatch
 * by type; each handler remembers where the activity came from (messages and invokes do it in
 * their follow-up lane, so a burst's store work stays bounded and a refused one stores nothing).
 * Activities from a tenant outside the allowed ones (MicrosoftAppTenantId and
 * TEAMS_ALLOWED_TENANTS, when either is set) are ignored.
 */
export function routeActivity(context: TeamsHandlerContext): (turn: TurnContext) => Promise<void> {
  return async (turn) => {
    const activity = turn.activity;
    const tenant = activity.conversation.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    const allowed = context.config.allowedTenants;
    if (allowed.length > 0 && !allowed.includes(String(tenant).toLowerCase())) {
      context.logger.warn({ tenant: String(tenant).slice(0, 64) }, 'teams: ignored an activity from another tenant');
      if (activity.type === 'invoke') await turn.sendActivity({ type: 'invokeResponse', value: { status: 403 } });
      return;
    }
    switch (activity.type) {
      case 'message':
        return onMessage(context, turn);
      case 'invoke':
        return onInvoke(context, turn);
      case 'conversationUpdate':
      case 'installationUpdate':
        // Installs are rare and their reference is needed at once (to post approval cards): in the turn.
        await rememberSafely(context, activity);
        return onConversationUpdate(context, turn);
      default:
        await rememberSafely(context, activity);
        return;
    }
  };
}
