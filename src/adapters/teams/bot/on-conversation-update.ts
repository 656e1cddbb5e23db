import type { TurnContext } from 'botbuilder';
import { teamsHelpText } from '../commands/help-text.ts';
import { conversationKind, type TeamsHandlerContext } from './handler-context.ts';
import { forgetChannel } from './remember-conversation.ts';

/**
 * The bot joined or left a conversation. Joining was already remembered by the router; a
 * personal install gets the help text, a team gets a one-line hint for admins. Leaving a team
 * forgets the channel reference.
 */
export async function onConversationUpdate(context: TeamsHandlerContext, turn: TurnContext): Promise<void> {
  const activity = turn.activity;
  const botId = activity.recipient.id;
  const added = (activity.membersAdded ?? []).some((m) => m.id === botId);
  const removed = (activity.membersRemoved ?? []).some((m) => m.id === botId);
  const kind = conversationKind(activity);
  if (removed && kind === 'channel') {
    await forgetChannel(context, activity);
    context.logger.info({ conversation: activity.conversation.id.slice(0, 120) }, 'teams: removed from a team; its channel reference is forgotten');
    return;
  }
  if (!added) return;
  context.logger.info({ kind, conversation: activity.conversation.id.slice(0, 120) }, 'teams: added to a conversation; reference stored');
  if (kind === 'personal') await turn.sendActivity({ type: 'message', text: teamsHelpText(), textFormat: 'markdown' });
  else if (kind === 'channel') await turn.sendActivity({ type: 'message', text: 'Hi! An Elevate admin can make this a reviewer channel by mentioning me with `admin map <scope>`.', textFormat: 'markdown' });
}
