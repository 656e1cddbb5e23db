import { CardFactory, TurnContext, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';

/** The connector client botbuilder puts in the turn state (botframework-connector's `ConnectorClient`). */
type ConnectorClient = {
  conversations: {
    sendToConversation(conversationId: string, activity: Activity): Promise<{ id?: string }>;
    replyToActivity(conversationId: string, activityId: string, activity: Activity): Promise<{ id?: string }>;
  };
};
import type { PostedMessage } from '../../domain/principal.ts';
import type { Logger } from '../../logging/logger.ts';
import type { RateLimitLanes, RateLimitWait } from '../../shared/rate-limit-lanes.ts';
import type { Metrics } from '../../ports/metrics.ts';
import { teamsErrorLabel, type TeamsMethodLabel } from './api-errors.ts';
import { connectorLanes } from './connector-rate-limits.ts';
import type { ApprovalReminder, ChatPlatformPort, PersonNotice, RequestView } from '../../ports/chat-platform.ts';
import type { ConversationReferences } from '../../ports/conversation-references.ts';
import { approvalSummary, renderApprovalCard } from './render/approval-card.ts';
import type { AdaptiveCard } from './render/card-elements.ts';
import { noticeSummary, renderPersonNoticeCard } from './render/person-notice.ts';
import { renderReminderCard, reminderSummary } from './render/reminder-card.ts';

/** Thrown when the bot has never been reached from a conversation, so it has no way to write there. */
export class NoConversationError extends Error {
  override readonly name = 'NoConversationError';
}

/**
 * Teams' side of `ChatPlatformPort`. Approval cards are posted as new threads in the reviewer
 * channel and updated in place by (channel conversation id, activity id) — the stored
 * `PostedMessage.channelId` / `messageId`; the service URL comes from the channel's stored
 * conversation reference. Notices go to the person's 1:1 chat with the bot, which exists once
 * they have talked to the bot (or installed it personally).
 */
export class TeamsChatPlatform implements ChatPlatformPort {
  readonly platform = 'teams' as const;

  private readonly lanes: RateLimitLanes;

  constructor(private readonly input: { adapter: CloudAdapter; appId: string; references: ConversationReferences; logger: Logger; metrics?: Metrics; onRateLimitWait?: (wait: RateLimitWait) => void }) {
    this.lanes = connectorLanes(input.logger, { ...(input.metrics ? { metrics: input.metrics } : {}), ...(input.onRateLimitWait ? { onWait: input.onRateLimitWait } : {}) });
  }

  async postApprovalMessage(channelId: string, view: RequestView): Promise<{ messageId: string }> {
    const response = await this.send('channel', channelId, cardActivity(renderApprovalCard(view), approvalSummary(view)));
    if (!response) throw new Error('the Bot Connector returned no activity id');
    return { messageId: response };
  }

  async updateApprovalMessage(message: PostedMessage, view: RequestView): Promise<void> {
    await this.counted('updateActivity', async () => {
      const reference = await this.reference('channel', message.channelId);
      const activity = { ...cardActivity(renderApprovalCard(view), approvalSummary(view)), id: message.messageId };
      await this.lanes.run(`teams:${message.channelId}`, { method: 'updateActivity', conversation: message.channelId }, () =>
        this.input.adapter.continueConversationAsync(this.input.appId, reference, async (context) => {
          await context.updateActivity(activity);
        }),
      );
    });
  }

  /**
   * A reply in the card's thread: the channel conversation id with `;messageid=<card activity id>`,
   * posted to that activity, as Teams threads channel replies.
   */
  async postReminder(message: PostedMessage, reminder: ApprovalReminder): Promise<void> {
    const reference = await this.reference('channel', message.channelId);
    const thread = `${message.channelId};messageid=${message.messageId}`;
    await this.lanes.run(`teams:${message.channelId}`, { method: 'replyToActivity', conversation: message.channelId }, () =>
      this.input.adapter.continueConversationAsync(this.input.appId, reference, async (context: TurnContext) => {
        const connector = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
        const outgoing = TurnContext.applyConversationReference({ ...cardActivity(renderReminderCard(reminder), reminderSummary(reminder)) }, reference) as Activity;
        outgoing.conversation = { ...outgoing.conversation, id: thread };
        outgoing.replyToId = message.messageId;
        await connector.conversations.replyToActivity(thread, message.messageId, outgoing);
      }),
    );
  }

  async notifyPerson(userId: string, notice: PersonNotice): Promise<void> {
    await this.send('personal', userId, cardActivity(renderPersonNoticeCard(notice), noticeSummary(notice)));
  }

  /** Sends a plain-text message to a person's 1:1 chat with the bot. */
  async tellPerson(userId: string, text: string): Promise<void> {
    await this.send('personal', userId, { type: 'message', text, textFormat: 'plain' });
  }

  /**
   * Replies to a person's activity after its turn has ended (the follow-up lanes answer later,
   * when the turn's context is gone): in the activity's conversation and thread, through the
   * conversation's rate-limit lane. `where` names that lane as `send` does.
   */
  async replyTo(incoming: Partial<Activity>, where: { kind: 'personal' | 'channel'; key: string }, activity: Partial<Activity>): Promise<void> {
    const reference = TurnContext.getConversationReference(incoming);
    await this.lanes.run(`teams:${where.key}`, { method: 'replyToActivity', conversation: where.kind === 'channel' ? where.key : 'personal' }, () =>
      this.input.adapter.continueConversationAsync(this.input.appId, reference, async (context) => {
        // Straight to the connector, as a reply to the person's activity: `context.sendActivity`
        // would reply to the made-up id of the continuation activity.
        const connector = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
        const outgoing = TurnContext.applyConversationReference({ ...activity }, reference) as Activity;
        if (outgoing.replyToId) await connector.conversations.replyToActivity(reference.conversation!.id, outgoing.replyToId, outgoing);
        else await connector.conversations.sendToConversation(reference.conversation!.id, outgoing);
      }),
    );
  }

  /** Counts a failed Bot Connector call for the metrics, by method and a closed class of error. */
  private async counted<T>(method: TeamsMethodLabel, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      this.input.metrics?.chatApiError('teams', method, teamsErrorLabel(error));
      throw error;
    }
  }

  private send(kind: 'personal' | 'channel', key: string, activity: Partial<Activity>): Promise<string | undefined> {
    return this.counted('sendToConversation', () => this.sendNow(kind, key, activity));
  }

  private async sendNow(kind: 'personal' | 'channel', key: string, activity: Partial<Activity>): Promise<string | undefined> {
    const reference = await this.reference(kind, key);
    let id: string | undefined;
    await this.lanes.run(`teams:${key}`, { method: 'sendToConversation', conversation: kind === 'channel' ? key : 'personal' }, () => this.input.adapter.continueConversationAsync(this.input.appId, reference, async (context: TurnContext) => {
      // Straight to the connector: `context.sendActivity` would make this a reply to the made-up
      // id of the continuation activity; a new message (a new thread in a channel) is what we want.
      const connector = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
      const outgoing = TurnContext.applyConversationReference({ ...activity }, reference) as Activity;
      delete outgoing.replyToId;
      id = (await connector.conversations.sendToConversation(reference.conversation!.id, outgoing)).id;
    }));
    return id;
  }

  private async reference(kind: 'personal' | 'channel', key: string): Promise<Partial<ConversationReference>> {
    const record = await this.input.references.get('teams', kind, key);
    if (!record) {
      throw new NoConversationError(
        kind === 'channel'
          ? 'I have not been added to that Teams channel’s team yet (no conversation with it is known)'
          : 'that Teams user has not started a chat with the bot yet',
      );
    }
    return record.reference as Partial<ConversationReference>;
  }
}

export function cardActivity(content: AdaptiveCard, summary: string): Partial<Activity> {
  return { type: 'message', summary: summary.slice(0, 200), attachments: [CardFactory.adaptiveCard(content)] };
}
