import { randomUUID } from 'node:crypto';
import type { FakeBotFramework, TokenOptions } from './fake-bot-framework.ts';
import { TEAMS_APP_ID, TEAMS_TENANT_ID } from './fake-bot-framework.ts';

export const TEAM_ID = '19:team-general@thread.tacv2';
export const REVIEWERS_CHANNEL = '19:reviewers@thread.tacv2';

/** A Teams user as activities carry them: `29:` id and Entra object id. */
export interface TeamsUser {
  id: string;
  aadObjectId: string;
  name: string;
}

export function teamsUser(name: string): TeamsUser {
  return { id: `29:${name}-teams-id`, aadObjectId: `aad-${name}`, name: name.charAt(0).toUpperCase() + name.slice(1) };
}

export interface SentActivity {
  status: number;
  body: unknown;
  text: string;
}

export interface SendOptions {
  /** Replace the Authorization header (undefined: a valid token). Null: send none. */
  authorization?: string | null;
  token?: TokenOptions;
}

/** Builds Teams-shaped activities and posts them to the bot's endpoint with Bot Framework tokens. */
export class TeamsSender {
  /** The directory (tenant) the activities come from; another value plays a foreign tenant. */
  tenantId = TEAMS_TENANT_ID;

  constructor(private readonly endpoint: string, private readonly bf: FakeBotFramework) {}

  personalConversation(user: TeamsUser): Record<string, unknown> {
    return { id: `a:1:${user.id}`, conversationType: 'personal', tenantId: this.tenantId };
  }

  base(user: TeamsUser, conversation: Record<string, unknown>, channelData: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      id: `f:${randomUUID()}`,
      channelId: 'msteams',
      serviceUrl: this.bf.serviceUrl,
      timestamp: new Date().toISOString(),
      from: { id: user.id, aadObjectId: user.aadObjectId, name: user.name },
      recipient: { id: `28:${TEAMS_APP_ID}`, name: 'Elevate' },
      conversation,
      channelData: { tenant: { id: this.tenantId }, ...channelData },
      locale: 'en-US',
    };
  }

  channelConversation(channelId: string, threadId?: string): { conversation: Record<string, unknown>; channelData: Record<string, unknown> } {
    return {
      conversation: { id: threadId ? `${channelId};messageid=${threadId}` : channelId, conversationType: 'channel', isGroup: true, tenantId: this.tenantId },
      channelData: { team: { id: TEAM_ID }, channel: { id: channelId } },
    };
  }

  /** A 1:1 message to the bot. */
  message(user: TeamsUser, text: string, options?: SendOptions): Promise<SentActivity> {
    return this.post({ ...this.base(user, this.personalConversation(user)), type: 'message', text, textFormat: 'plain' }, options);
  }

  /** A message in a channel that @mentions the bot. */
  channelMessage(user: TeamsUser, channelId: string, text: string, options?: SendOptions): Promise<SentActivity> {
    const { conversation, channelData } = this.channelConversation(channelId, '1699999999999');
    return this.post(
      {
        ...this.base(user, conversation, channelData),
        type: 'message',
        text: `<at>Elevate</at> ${text}`,
        entities: [{ type: 'mention', text: '<at>Elevate</at>', mentioned: { id: `28:${TEAMS_APP_ID}`, name: 'Elevate' } }],
      },
      options,
    );
  }

  /** The bot was installed in a team (its General channel has the team's id) or a personal scope. */
  botAdded(user: TeamsUser, channelId: string | null, options?: SendOptions): Promise<SentActivity> {
    const where = channelId ? this.channelConversation(channelId) : { conversation: this.personalConversation(user), channelData: {} };
    return this.post(
      {
        ...this.base(user, where.conversation, { ...where.channelData, eventType: channelId ? 'teamMemberAdded' : undefined }),
        type: 'conversationUpdate',
        membersAdded: [{ id: `28:${TEAMS_APP_ID}` }],
      },
      options,
    );
  }

  /** An `Action.Execute` click on a card posted in a channel (or, with channelId null, in the 1:1 chat). */
  execute(user: TeamsUser, where: { channelId: string | null; messageId?: string }, verb: string, data: Record<string, unknown>, options?: SendOptions): Promise<SentActivity> {
    const conv = where.channelId ? this.channelConversation(where.channelId, where.messageId) : { conversation: this.personalConversation(user), channelData: {} };
    return this.post(
      {
        ...this.base(user, conv.conversation, conv.channelData),
        type: 'invoke',
        name: 'adaptiveCard/action',
        ...(where.messageId ? { replyToId: where.messageId } : {}),
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      },
      options,
    );
  }

  /** An `Action.Submit` with `msteams.type = task/fetch` (opens a dialog), from the 1:1 chat. */
  taskFetch(user: TeamsUser, data: Record<string, unknown>, options?: SendOptions): Promise<SentActivity> {
    return this.post({ ...this.base(user, this.personalConversation(user)), type: 'invoke', name: 'task/fetch', value: { data: { ...data, msteams: { type: 'task/fetch' } }, context: { theme: 'default' } } }, options);
  }

  async post(activity: Record<string, unknown>, options: SendOptions = {}): Promise<SentActivity> {
    const conversation = activity.conversation as { id: string };
    this.bf.noteDelivered(conversation.id, String(activity.id));
    const authorization = options.authorization === undefined ? `Bearer ${await this.bf.signToken(options.token)}` : options.authorization;
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization === null ? {} : { authorization }) },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    return { status: response.status, body, text };
  }
}
