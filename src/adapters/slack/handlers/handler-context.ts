import type { Actor } from '../../../app/actor.ts';
import type { ChatDeps } from '../../../app/chat/chat-deps.ts';
import type { SlackConfig } from '../../../config/slack.ts';
import type { Logger } from '../../../logging/logger.ts';
import type { BackgroundWork } from '../background-work.ts';
import type { SlackChatPlatform } from '../slack-chat-platform.ts';
import type { WebClient } from '../web-client.ts';

/** What every Bolt listener of the adapter needs. */
export interface SlackHandlerContext {
  deps: ChatDeps;
  config: SlackConfig;
  client: WebClient;
  platform: SlackChatPlatform;
  work: BackgroundWork;
  logger: Logger;
  actorFor(userId: string): Promise<Actor>;
}

/**
 * Tells one user something privately where they clicked: an ephemeral message in the channel
 * when there is one, otherwise a direct message.
 */
export async function tellUser(context: SlackHandlerContext, where: { userId: string; channelId: string | null | undefined }, text: string): Promise<void> {
  if (where.channelId) {
    await context.client.chat.postEphemeral({ channel: where.channelId, user: where.userId, text });
    return;
  }
  await context.platform.sendDirectMessage(where.userId, { text });
}
