export type PrincipalKind = 'human' | 'service';

/** An identity of the organisation: the `sub` of the tokens Elevate obtains on its behalf. */
export interface Principal {
  id: string;
  displayName: string;
  email: string | null;
  kind: PrincipalKind;
  /** Admins change scopes and channel mappings and may revoke any grant. */
  isAdmin: boolean;
  /** Auditors (the config's `auditors`) read the audit trail, and nothing more: read-only. */
  isAuditor: boolean;
  /** Last time this principal used Elevate; feeds the dormant-account policy. */
  lastSeenAt: Date | null;
  /**
   * When Elevate first knew this principal (first applied from the config file). A principal
   * never seen is as idle as it is old: the dormant-account policy counts from here.
   */
  createdAt: Date;
}

/** Admins and auditors may read the audit trail (the API's `/audit`, the dashboard's audit page). */
export function mayReadAuditTrail(principal: Pick<Principal, 'isAdmin' | 'isAuditor'>): boolean {
  return principal.isAdmin || principal.isAuditor;
}

export const CHAT_PLATFORMS = ['slack', 'teams'] as const;
export type ChatPlatform = (typeof CHAT_PLATFORMS)[number];

/**
 * An explicit link from a chat account to a principal. Chat user ids never stand in for
 * principals: a Slack or Teams user with no link cannot request or approve anything.
 */
export interface ChatIdentity {
  platform: ChatPlatform;
  userId: string;
  principalId: string;
}

/** A reviewer channel mapped to a scope: approval messages for the scope are posted there. */
export interface ChannelMapping {
  platform: ChatPlatform;
  channelId: string;
  scopeName: string;
}

/** A message posted for a request, kept so the bot can update it in place later. */
export interface PostedMessage {
  requestId: string;
  platform: ChatPlatform;
  channelId: string;
  messageId: string;
  postedAt: Date;
}
