import { TurnContext, type Activity } from 'botbuilder';
import { describeError } from '../../../app/describe-error.ts';
import { teamsUserId } from '../identity.ts';
import { channelIdOf, conversationKind, type TeamsHandlerContext } from './handler-context.ts';

/**
 * Keeps the conversation reference of every conversation the bot hears from, so it can write
 * there later: a person's 1:1 chat (for their notices) and a team channel (for approval cards).
 * Stored without the incoming activity's id, so proactive messages start new threads instead of
 * replying to whatever was said last; refreshed on every activity because the service URL of a
 * tenant can change.
 */
export async function rememberConversation(context: TeamsHandlerContext, activity: Activity): Promise<void> {
  const reference = TurnContext.getConversationReference(activity);
  delete reference.activityId;
  const kind = conversationKind(activity);
  const now = context.deps.clock.now();
  if (kind === 'personal') {
    const userId = teamsUserId(activity.from);
    if (!userId) return;
    await context.references.put({ platform: 'teams', kind: 'personal', key: userId, reference: { ...reference }, updatedAt: now });
    return;
  }
  if (kind === 'channel') {
    const channelId = channelIdOf(activity);
    const conversation = { ...reference.conversation, id: channelId, isGroup: true, conversationType: 'channel' };
    await context.references.put({ platform: 'teams', kind: 'channel', key: channelId, reference: { ...reference, conversation }, updatedAt: now });
  }
}

/** {@link rememberConversation}, logging a failure instead of failing the activity: what it came to do still gets done. */
export async function rememberSafely(context: TeamsHandlerContext, activity: Activity): Promise<void> {
  try {
    await rememberConversation(context, activity);
  } catch (error) {
    context.logger.warn({ err: describeError(error) }, 'teams: could not store a conversation reference');
  }
}

/** The bot was removed from a team: forget its channel, so nothing is posted into the void. */
export async function forgetChannel(context: TeamsHandlerContext, activity: Activity): Promise<void> {
  await context.references.remove('teams', 'channel', channelIdOf(activity));
}
