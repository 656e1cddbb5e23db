import type { TurnContext } from 'botbuilder';
import { describeError } from '../../../app/describe-error.ts';
import type { TeamsHandlerContext } from './handler-context.ts';
import { onConversationUpdate } from './on-conversation-update.ts';
import { onInvoke } from './on-invoke.ts';
import { onMessage } from './on-message.ts';
import { rememberConversation } from './remember-conversation.ts';

/**
 * The bot's turn logic, run by the CloudAdapter for every authenticated Teams activity: remember
 * where it came from, then dispatch by type. Activities from a tenant outside the allowed ones
 * (MicrosoftAppTenantId and TEAMS_ALLOWED_TENANTS, when either is set) are ignored.
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
    try {
      await rememberConversation(context, activity);
    } catch (error) {
      context.logger.warn({ err: describeError(error) }, 'teams: could not store a conversation reference');
    }
    switch (activity.type) {
      case 'message':
        return onMessage(context, turn);
      case 'invoke':
        return onInvoke(context, turn);
      case 'conversationUpdate':
      case 'installationUpdate':
        return onConversationUpdate(context, turn);
      default:
        return;
    }
  };
}
