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

  /** Each person's direct-message channel with the bot, as `conversations.open` named it. */
  private readonly directMessageChannels = new DirectMessageChannels();

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

  /**
   * Posts in the bot's DM with the user. The channel is opened once per person and remembered:
   * Slack names the same channel for the same pair every time, and a requester waiting for a
   * grant should not wait for a second Web API call. A remembered channel Slack no longer
   * knows is forgotten and opened again, once.
   */
  async sendDirectMessage(userId: string, message: { text: string; blocks?: Record<string, unknown>[] }): Promise<void> {
    const post = (channel: string) => this.client.chat.postMessage({ channel, ...message, unfurl_links: false, unfurl_media: false });
    const remembered = this.directMessageChannels.get(userId);
    if (remembered !== undefined) {
      try {
        await post(remembered);
        return;
      } catch (error) {
        if (!isGoneChannel(error)) throw error;
        this.directMessageChannels.forget(userId);
      }
    }
    await post(await this.openDirectMessage(userId));
  }

  private async openDirectMessage(userId: string): Promise<string> {
    const opened = await this.client.conversations.open({ users: userId });
    const channel = opened.channel?.id;
    if (!channel) throw new Error('conversations.open returned no channel');
    this.directMessageChannels.remember(userId, channel);
    return channel;
  }
}

/** `chat.postMessage`'s answer for a channel that is no longer there for the bot. */
function isGoneChannel(error: unknown): boolean {
  const code = (error as { data?: { error?: unknown } } | null)?.data?.error;
  return code === 'channel_not_found' || code === 'is_archived' || code === 'not_in_channel';
}

/** A bounded map of user id → DM channel id; the oldest entries go first when it is full. */
class DirectMessageChannels {
  private readonly channels = new Map<string, string>();

  constructor(private readonly limit = 10_000) {}

  get(userId: string): string | undefined {
    return this.channels.get(userId);
  }

  remember(userId: string, channel: string): void {
    this.channels.delete(userId);
    this.channels.set(userId, channel);
    if (this.channels.size > this.limit) this.channels.delete(this.channels.keys().next().value!);
  }

  forget(userId: string): void {
    this.channels.delete(userId);
  }
}
