import type { ConversationReferenceRecord } from '../../../ports/conversation-references.ts';
import type { AuditRecord } from '../../../domain/audit.ts';
import type { AuditStreamState } from '../../../domain/audit-stream.ts';
import type { Grant } from '../../../domain/grant.ts';
import type { ChannelMapping, ChatIdentity, ChatPlatform, PostedMessage, Principal } from '../../../domain/principal.ts';
import type { ElevationRequest } from '../../../domain/request.ts';
import type { Review } from '../../../domain/review.ts';
import type { ScopeDefinition } from '../../../domain/scope.ts';
import type { AuthenticationEvidence } from '../../../domain/step-up.ts';
import type { StepUpTicket } from '../../../domain/step-up-ticket.ts';
import type { WebSession } from '../../../domain/web-session.ts';
import type { IdempotencyRecord } from '../../../ports/store.ts';

/**
 * Everything the in-memory store holds. Stored values are private copies that are never mutated
 * in place: a change replaces the value. That is what lets {@link forkState} copy only the maps
 * and still give a transaction a working state it can throw away.
 */
export interface MemoryState {
  scopes: Map<string, ScopeDefinition>;
  principals: Map<string, Principal>;
  /** Keyed by {@link identityKey}. */
  identities: Map<string, ChatIdentity>;
  /** Keyed by {@link mappingKey}. */
  channelMappings: Map<string, ChannelMapping>;
  requests: Map<string, ElevationRequest>;
  /** Keyed by {@link reviewKey}: one review per approver and request. */
  reviews: Map<string, Review>;
  /** Keyed by {@link postedMessageKey}. */
  postedMessages: Map<string, PostedMessage>;
  grants: Map<string, Grant>;
  /** Keyed by {@link conversationKey}. */
  conversations: Map<string, ConversationReferenceRecord>;
  /** Keyed by {@link idempotencyKey}. */
  idempotencyKeys: Map<string, IdempotencyRecord>;
  /** Keyed by the SHA-256 of the link's secret. */
  stepUpTickets: Map<string, StepUpTicket>;
  /** A person's last accepted multi-factor sign-in, keyed by principal id. */
  authentications: Map<string, AuthenticationEvidence>;
  /** Dashboard sessions, keyed by the SHA-256 of their secret. */
  webSessions: Map<string, WebSession>;
  /** In `seq` order; `audit[i].seq === i + 1`. */
  audit: AuditRecord[];
  auditHead: { seq: number; hash: string } | null;
  /** Audit streams' cursors and leases, keyed by stream name. */
  auditStreams: Map<string, AuditStreamState>;
}

export function emptyState(): MemoryState {
  return {
    scopes: new Map(),
    principals: new Map(),
    identities: new Map(),
    channelMappings: new Map(),
    requests: new Map(),
    reviews: new Map(),
    postedMessages: new Map(),
    grants: new Map(),
    conversations: new Map(),
    idempotencyKeys: new Map(),
    stepUpTickets: new Map(),
    authentications: new Map(),
    webSessions: new Map(),
    audit: [],
    auditHead: null,
    auditStreams: new Map(),
  };
}

/** A working copy for one transaction; committing is swapping it in, rolling back is dropping it. */
export function forkState(state: MemoryState): MemoryState {
  return {
    scopes: new Map(state.scopes),
    principals: new Map(state.principals),
    identities: new Map(state.identities),
    channelMappings: new Map(state.channelMappings),
    requests: new Map(state.requests),
    reviews: new Map(state.reviews),
    postedMessages: new Map(state.postedMessages),
    grants: new Map(state.grants),
    conversations: new Map(state.conversations),
    idempotencyKeys: new Map(state.idempotencyKeys),
    stepUpTickets: new Map(state.stepUpTickets),
    authentications: new Map(state.authentications),
    webSessions: new Map(state.webSessions),
    audit: [...state.audit],
    auditHead: state.auditHead,
    auditStreams: new Map(state.auditStreams),
  };
}

// NUL cannot appear in the ids Elevate stores, so it separates key parts unambiguously.
const SEP = '\u0000';

export function identityKey(platform: ChatPlatform, userId: string): string {
  return `${platform}${SEP}${userId}`;
}

export function mappingKey(mapping: ChannelMapping): string {
  return `${mapping.platform}${SEP}${mapping.channelId}${SEP}${mapping.scopeName}`;
}

export function reviewKey(requestId: string, approverId: string): string {
  return `${requestId}${SEP}${approverId}`;
}

export function idempotencyKey(principalId: string, key: string): string {
  return `${principalId}${SEP}${key}`;
}

export function postedMessageKey(message: Pick<PostedMessage, 'requestId' | 'platform' | 'channelId'>): string {
  return `${message.requestId}${SEP}${message.platform}${SEP}${message.channelId}`;
}

/** Values go in and come out as copies, so no caller ever holds a reference into the state. */
export function conversationKey(platform: string, kind: string, key: string): string {
  return `${platform}\u0000${kind}\u0000${key}`;
}

export function copy<T>(value: T): T {
  return structuredClone(value);
}
