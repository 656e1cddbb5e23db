import type { ChatPlatform } from '../domain/principal.ts';

/**
 * Where a bot can reach a conversation later, without being spoken to first: a 1:1 chat with a
 * person (to send them private notices) or a team channel (to post approval messages in it).
 * Teams needs this because, unlike Slack, its connector has no "open a DM with user X" call that
 * works from a user id alone: the bot needs the conversation id, the service URL of the region
 * that hosts it and the tenant, all of which arrive only with an activity.
 *
 * `reference` is opaque to the core (for Teams, botbuilder's `ConversationReference`, which holds
 * ids and the service URL, never a secret).
 */
export interface ConversationReferenceRecord {
  platform: ChatPlatform;
  kind: 'personal' | 'channel';
  /** For `personal`: the chat user id (as in `ChatIdentity.userId`). For `channel`: the channel id (as in `ChannelMapping.channelId`). */
  key: string;
  reference: Record<string, unknown>;
  updatedAt: Date;
}

export interface ConversationReferences {
  /** Inserts or replaces the record for (platform, kind, key). */
  put(record: ConversationReferenceRecord): Promise<void>;
  get(platform: ChatPlatform, kind: ConversationReferenceRecord['kind'], key: string): Promise<ConversationReferenceRecord | null>;
  /** Forgets a conversation the bot was removed from; returns whether there was one. */
  remove(platform: ChatPlatform, kind: ConversationReferenceRecord['kind'], key: string): Promise<boolean>;
}
