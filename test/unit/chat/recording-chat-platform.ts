import type { ChatPlatform, PostedMessage } from '../../../src/domain/principal.ts';
import type { ApprovalReminder, ChatPlatformPort, PersonNotice, RequestView } from '../../../src/ports/chat-platform.ts';

/** A chat platform that keeps what it was asked to do, and fails channels the test names. */
export class RecordingChatPlatform implements ChatPlatformPort {
  readonly posted: { channelId: string; messageId: string; view: RequestView }[] = [];
  readonly updated: { message: PostedMessage; view: RequestView }[] = [];
  readonly notices: { userId: string; notice: PersonNotice }[] = [];
  readonly reminders: { message: PostedMessage; reminder: ApprovalReminder }[] = [];
  readonly failingChannels = new Set<string>();
  failNotices = false;
  private counter = 0;

  constructor(readonly platform: ChatPlatform) {}

  async postApprovalMessage(channelId: string, view: RequestView): Promise<{ messageId: string }> {
    if (this.failingChannels.has(channelId)) throw new Error(`channel_not_found: ${channelId}`);
    const messageId = `${this.platform}-msg-${++this.counter}`;
    this.posted.push({ channelId, messageId, view });
    return { messageId };
  }

  async updateApprovalMessage(message: PostedMessage, view: RequestView): Promise<void> {
    if (this.failingChannels.has(message.channelId)) throw new Error(`message_not_found`);
    this.updated.push({ message, view });
  }

  async postReminder(message: PostedMessage, reminder: ApprovalReminder): Promise<void> {
    if (this.failingChannels.has(message.channelId)) throw new Error(`message_not_found`);
    this.reminders.push({ message, reminder });
  }

  async notifyPerson(userId: string, notice: PersonNotice): Promise<void> {
    if (this.failNotices) throw new Error('cannot_dm_bot');
    this.notices.push({ userId, notice });
  }

  lastUpdateOf(requestId: string): RequestView | undefined {
    return this.updated.filter((u) => u.message.requestId === requestId).at(-1)?.view;
  }
}
