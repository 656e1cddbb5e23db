import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import type { ChatDeps } from '../../../app/chat/chat-deps.ts';
import type { TeamsConfig } from '../../../config/teams.ts';
import type { Logger } from '../../../logging/logger.ts';
import type { ConversationReferences } from '../../../ports/conversation-references.ts';
import type { FollowUpLanes } from '../../../shared/follow-up-lanes.ts';
import type { TeamsChatPlatform } from '../teams-chat-platform.ts';

/** What every activity handler of the adapter needs. */
export interface TeamsHandlerContext {
  deps: ChatDeps;
  config: TeamsConfig;
  platform: TeamsChatPlatform;
  references: ConversationReferences;
  /** Work behind an answer or after it: new requests in one bounded lane, decisions in another. */
  work: FollowUpLanes;
  logger: Logger;
}

export type ConversationKind = 'personal' | 'channel' | 'groupChat';

export function conversationKind(activity: Activity): ConversationKind {
  const type = activity.conversation.conversationType;
  return type === 'channel' || type === 'groupChat' ? type : 'personal';
}

/**
 * The reviewer-channel id of a channel activity: the channel's own conversation id, without the
 * `;messageid=…` suffix a reply thread adds. It is what mappings and posted messages store.
 */
export function channelIdOf(activity: Activity): string {
  const data = activity.channelData as { channel?: { id?: unknown } } | undefined;
  const fromData = typeof data?.channel?.id === 'string' ? data.channel.id : undefined;
  return fromData ?? activity.conversation.id.split(';')[0]!;
}

/** Sets the HTTP answer of an invoke activity. */
export async function answerInvoke(context: TurnContext, body: unknown, status = 200): Promise<void> {
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status, body } });
}

/** A reply in the conversation the activity came from, shown as typed. */
export async function replyPlain(context: TurnContext, text: string): Promise<void> {
  await context.sendActivity({ type: 'message', text, textFormat: 'plain' });
}
