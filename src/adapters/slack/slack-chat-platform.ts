import type { WebClient } from './web-client.ts';
import type { PostedMessage } from '../../domain/principal.ts';
import type { ApprovalReminder, ChatPlatformPort, PersonNotice, RequestView } from '../../ports/chat-platform.ts';
import { renderApprovalMessage } from './render/approval-message.ts';
import { renderPersonNotice } from './render/person-notice.ts';
import { renderReminder } from './render/reminder.ts';

/**
 * Slack's side of `ChatPlatformPort`: approval messages are channel messages updated in place by
 * `channel` + `ts` (the stored message id), notices are direct messages from the bot. Link
 * unfurling is off so a URL in a reason cannot make the message fetch or preview anything.
 */
export class SlackChatPlatform implements ChatPlatformPort {
  readonly platform = 'slack' as const;

  constructor(private readonly client: WebClient, private readonly command: string) {}

  async postApprovalMessage(channelId: string, view: RequestView): Promise<{ messageId: string }> {
    const message = renderApprovalMessage(view);
    const result = await this.client.chat.postMessage({ channel: channelId, ...message, unfurl_links: false, unfurl_media: false });
    if (!result.ts) throw new Error('chat.postMessage returned no ts');
    return { messageId: result.ts };
  }

  async updateApprovalMessage(message: PostedMessage, view: RequestView): Promise<void> {
    await this.client.chat.update({ channel: message.channelId, ts: message.messageId, ...renderApprovalMessage(view) });
  }

  /** A threaded reply: `thread_ts` is the approval message's ts, so the channel itself stays quiet. */
  async postReminder(message: PostedMessage, reminder: ApprovalReminder): Promise<void> {
    await this.client.chat.postMessage({ channel: message.channelId, thread_ts: message.messageId, ...renderReminder(reminder), unfurl_links: false, unfurl_media: false });
  }

  async notifyPerson(userId: string, notice: PersonNotice): Promise<void> {
    await this.sendDirectMessage(userId, renderPersonNotice(notice, this.command));
  }

  /** Opens (or finds) the bot's DM with the user and posts there. */
  async sendDirectMessage(userId: string, message: { text: string; blocks?: Record<string, unknown>[] }): Promise<void> {
    const opened = await this.client.conversations.open({ users: userId });
    const channel = opened.channel?.id;
    if (!channel) throw new Error('conversations.open returned no channel');
    await this.client.chat.postMessage({ channel, ...message, unfurl_links: false, unfurl_media: false });
  }
}
