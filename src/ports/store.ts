import type { AuditEventInput, AuditEventType, AuditRecord } from '../domain/audit.ts';
import type { Grant, GrantStatus } from '../domain/grant.ts';
import type { ChannelMapping, ChatIdentity, ChatPlatform, PostedMessage, Principal } from '../domain/principal.ts';
import type { BreakGlassVerdict, ElevationRequest, RequestStatus } from '../domain/request.ts';
import type { Review } from '../domain/review.ts';
import type { ScopeDefinition } from '../domain/scope.ts';
import type { AuthenticationEvidence } from '../domain/step-up.ts';
import type { StepUpFlow, StepUpTicket } from '../domain/step-up-ticket.ts';
import type { WebSession } from '../domain/web-session.ts';
import type { AuditStreamCursorReader, AuditStreamCursors } from './audit-stream-cursor.ts';
import type { ConversationReferenceRecord } from './conversation-references.ts';
import type { DueGrantLocks } from './due-grants.ts';

/**
 * The persistence port of the core. Implementations: in-memory (unit tests) and Prisma over
 * PostgreSQL or embedded PGlite. Every implementation passes `test/contract/store.contract.ts`.
 *
 * Writes happen only inside {@link Store.transaction}; a use case reads what it needs, checks it
 * against the domain rules, writes, and appends its audit event in the same transaction, so either
 * all of it happens or none of it does.
 */
export interface StoreReader extends AuditStreamCursorReader {
  getScope(name: string): Promise<ScopeDefinition | null>;
  listScopes(): Promise<ScopeDefinition[]>;

  getPrincipal(id: string): Promise<Principal | null>;
  /** Those of `ids` that exist, by id; in one statement on SQL stores. */
  getPrincipals(ids: readonly string[]): Promise<Principal[]>;
  listPrincipals(): Promise<Principal[]>;
  findPrincipalByIdentity(platform: ChatPlatform, userId: string): Promise<Principal | null>;
  listIdentities(principalId?: string): Promise<ChatIdentity[]>;

  listChannelMappings(filter?: { scopeName?: string; platform?: ChatPlatform; channelId?: string }): Promise<ChannelMapping[]>;

  getRequest(id: string): Promise<ElevationRequest | null>;
  listRequests(filter: RequestFilter): Promise<ElevationRequest[]>;
  /**
   * Requests by one requester for one scope created at or after `since` (rate-limit policy), and,
   * with `before`, strictly before it (an approver's context: the requests that came earlier).
   */
  countRequestsSince(requesterId: string, scopeName: string, since: Date, before?: Date): Promise<number>;
  listReviews(requestId: string): Promise<Review[]>;
  /** The reviews of several requests at once (a page of grants), in the same order per request, requests by id. */
  listReviewsOf(requestIds: readonly string[]): Promise<Review[]>;
  listPostedMessages(requestId: string): Promise<PostedMessage[]>;

  getGrant(id: string): Promise<Grant | null>;
  getGrantByRequest(requestId: string): Promise<Grant | null>;
  listGrants(filter: GrantFilter): Promise<Grant[]>;
  /**
   * Who holds a scope at `at`: one entry per principal with an active grant for it whose window
   * has not ended, with the latest end among that person's grants; latest end first, then id.
   */
  listScopeHolders(scopeName: string, at: Date): Promise<ScopeHolder[]>;

  /** A step-up link by the SHA-256 of its secret, or null. */
  getStepUpTicket(idHash: string): Promise<StepUpTicket | null>;
  /** The started step-up whose OpenID Connect `state` has this SHA-256, or null. */
  findStepUpTicketByState(stateHash: string): Promise<StepUpTicket | null>;
  /** A person's last accepted multi-factor sign-in, or null. */
  getLastAuthentication(principalId: string): Promise<AuthenticationEvidence | null>;
  /** A dashboard session by the SHA-256 of its secret (ended or not), or null. */
  getWebSession(idHash: string): Promise<WebSession | null>;

  /** The request an API caller's `Idempotency-Key` already names, or null. */
  findIdempotencyKey(principalId: string, key: string): Promise<IdempotencyRecord | null>;

  getConversationReference(platform: ChatPlatform, kind: ConversationReferenceRecord['kind'], key: string): Promise<ConversationReferenceRecord | null>;

  /** Audit records in sequence order with `seq > afterSeq`, at most `limit` of them. */
  listAudit(afterSeq: number, limit: number): Promise<AuditRecord[]>;
  /** The last link of the chain as recorded separately from the records, or null when empty. */
  getAuditHead(): Promise<{ seq: number; hash: string } | null>;
  /**
   * At most `limit` audit records matching every criterion of `search`, newest first (`seq`
   * descending) or oldest first: the dashboard's filtered audit view and its export.
   */
  searchAudit(search: AuditSearch, order: 'newest_first' | 'oldest_first', limit: number): Promise<AuditRecord[]>;

  /**
   * What the operators' gauges show, read from the database in a couple of aggregate queries, so
   * every instance reports the same figures: see {@link OperationalCounts}.
   */
  operationalCounts(input: { now: Date; overdueBefore: Date }): Promise<OperationalCounts>;
  /**
   * The revocation lag (`revokedAt − endsAt`) of grants that ended on schedule (`endReason`
   * `expired`) and whose revocation the AS confirmed in `[from, to)`, per interval of `bucketSec`
   * counted from `from`: see {@link RevocationLagBucket}. Intervals with none are left out.
   */
  revocationLagBuckets(input: { from: Date; to: Date; bucketSec: number }): Promise<RevocationLagBucket[]>;
}

/**
 * Which audit records a search asks for; every criterion given must hold. A record is about a
 * person when they are its actor, or its subject: the requester of the request it belongs to, the
 * principal a config change added, changed or removed, or whose chat identity it linked or
 * unlinked. It is about a scope when its request is for that scope, or the config change is to
 * that scope or to a reviewer channel mapped to it.
 */
export interface AuditSearch {
  person?: string;
  scopeName?: string;
  type?: AuditEventType;
  /** Records at or after this instant. */
  from?: Date;
  /** Records at or before this instant. */
  to?: Date;
  /** Records with `seq` below this (the next page, newest first). */
  beforeSeq?: number;
  /** Records with `seq` above this (the next page, oldest first). */
  afterSeq?: number;
}

/** One interval of the revocation-lag chart: how many revocations, and their lag's percentiles. */
export interface RevocationLagBucket {
  /** Where the interval starts: `from + index × bucketSec`. */
  start: Date;
  count: number;
  /**
   * Nearest-rank percentiles (PostgreSQL's `percentile_disc`): the smallest lag that at least
   * half, or 99 %, of the interval's revocations did not exceed. Milliseconds.
   */
  p50Ms: number;
  p99Ms: number;
}

/** The state of the grants at one instant, for metrics. */
export interface OperationalCounts {
  /** Grants `active` whose window has not ended at `now`, per scope, in scope-name order; scopes with none left out. */
  activeGrants: { scopeName: string; count: number }[];
  /**
   * Revocations owed and not yet confirmed by the AS: grants `active` past their end (the sweeper
   * has not claimed them yet) and grants `revoking` (claimed, or ended early, or being retried).
   */
  revocationsPending: number;
  /** Of {@link OperationalCounts.revocationsPending}, those whose window ended at or before `overdueBefore`. */
  revocationsOverdue: number;
}

/** A principal holding a scope now, and until when. */
export interface ScopeHolder {
  principalId: string;
  endsAt: Date;
}

/** An API caller's `Idempotency-Key`, kept with a fingerprint of what was asked under it. */
export interface IdempotencyRecord {
  principalId: string;
  key: string;
  /** A hash of the request's parameters: the same key with other parameters is refused. */
  fingerprint: string;
  requestId: string;
  createdAt: Date;
}

export interface RequestFilter {
  /** Only these requests (a page of grants reads its requests in one go). */
  ids?: readonly string[];
  requesterId?: string;
  scopeName?: string;
  statuses?: readonly RequestStatus[];
  /** Only waiting requests (pending, or verifying) whose `pendingUntil` is at or before this instant. */
  pendingUntilAtOrBefore?: Date;
  /** Only requests decided at or before this instant (requests never decided are left out). */
  decidedAtOrBefore?: Date;
  /** Only requests no grant row belongs to (an approval whose issuing never started). */
  withoutGrant?: boolean;
  /** Only the extension requests of this grant. */
  extendsGrantId?: string;
  /** Only break-glass requests nobody has acknowledged or flagged yet. */
  breakGlassUnreviewed?: boolean;
  /** Only break-glass requests whose review is due at or before this instant, and not yet reminded. */
  breakGlassOverdueAt?: Date;
  limit?: number;
}

/** A revocation the AS confirmed, and when it answered. */
export interface ConfirmedRevocation {
  id: string;
  revokedAt: Date;
}

export interface GrantFilter {
  statuses?: readonly GrantStatus[];
  requestIds?: readonly string[];
  /** Only grants whose window ends at or before this instant. */
  endsAtOrBefore?: Date;
  limit?: number;
}

export interface StoreTx extends StoreReader, DueGrantLocks, AuditStreamCursors {
  /** Reads a request and holds it until the transaction ends (`SELECT … FOR UPDATE`). */
  lockRequest(id: string): Promise<ElevationRequest | null>;
  /** Reads a grant and holds it until the transaction ends. */
  lockGrant(id: string): Promise<Grant | null>;
  /**
   * Holds the configuration lock until the transaction ends: one such transaction at a time,
   * across every instance on the database. Applying the config file takes it first, so instances
   * that start together apply it one after another, each diffing against what the last committed.
   */
  lockConfiguration(): Promise<void>;
  /**
   * Holds one principal's lock until the transaction ends, whether or not the principal exists:
   * a requester's requests are then created one at a time across every instance, so per-person
   * limits (requests per day) and idempotency keys are checked and written without a race.
   */
  lockPrincipal(id: string): Promise<void>;

  putScope(scope: ScopeDefinition): Promise<void>;
  deleteScope(name: string): Promise<boolean>;
  putPrincipal(principal: Principal): Promise<void>;
  deletePrincipal(id: string): Promise<boolean>;
  putIdentity(identity: ChatIdentity): Promise<void>;
  deleteIdentity(platform: ChatPlatform, userId: string): Promise<boolean>;
  /** Returns false when the mapping already existed. */
  addChannelMapping(mapping: ChannelMapping): Promise<boolean>;
  removeChannelMapping(mapping: ChannelMapping): Promise<boolean>;

  insertRequest(request: ElevationRequest): Promise<void>;
  /**
   * Applies `patch` only if the request is still in `expected` status; returns whether it did.
   * This compare-and-set is what makes retries and races harmless.
   */
  updateRequest(id: string, expected: RequestStatus, patch: Partial<Omit<ElevationRequest, 'id'>>): Promise<boolean>;
  /** Records that an overdue break-glass review was reminded; false when it was reviewed or reminded already (once across instances). */
  markBreakGlassReminded(requestId: string, at: Date): Promise<boolean>;
  /** Records a break-glass request's acknowledgement or flag; false when it was reviewed already (the first review stands). */
  recordBreakGlassReview(requestId: string, review: { reviewedAt: Date; reviewedBy: string; verdict: BreakGlassVerdict; note: string | null }): Promise<boolean>;
  /** Returns false (and changes nothing) when this approver already reviewed this request. */
  insertReview(review: Review): Promise<boolean>;
  /**
   * Records a key for a request; returns false (and changes nothing) when the principal already
   * used the key. Callers hold {@link StoreTx.lockPrincipal} and look the key up first.
   */
  insertIdempotencyKey(record: IdempotencyRecord): Promise<boolean>;
  insertStepUpTicket(ticket: StepUpTicket): Promise<void>;
  /**
   * Writes the sign-in's secrets onto a ticket that was never started and has not expired at
   * `flow.startedAt`; returns whether it did. A link is followed once, on whatever instance.
   */
  startStepUpTicket(idHash: string, flow: StepUpFlow): Promise<boolean>;
  /** Marks a started, not yet completed ticket completed; returns whether it did (a callback is taken once). */
  completeStepUpTicket(idHash: string, completedAt: Date): Promise<boolean>;
  /** Deletes tickets that expired before `before`; returns how many. */
  deleteExpiredStepUpTickets(before: Date): Promise<number>;
  insertWebSession(session: WebSession): Promise<void>;
  /** Moves `lastSeenAt` of a session not ended; returns whether it did. */
  touchWebSession(idHash: string, at: Date): Promise<boolean>;
  /** Replaces the sign-in evidence of a session not ended (after a step-up); returns whether it did. */
  setWebSessionEvidence(idHash: string, evidence: AuthenticationEvidence): Promise<boolean>;
  /** Ends a session not ended yet; returns whether it did (sign-out is taken once). */
  endWebSession(idHash: string, at: Date): Promise<boolean>;
  /** Deletes sessions whose absolute end is before `before`; returns how many. */
  deleteExpiredWebSessions(before: Date): Promise<number>;
  /** Records (or replaces) a person's last accepted multi-factor sign-in. */
  putLastAuthentication(principalId: string, evidence: AuthenticationEvidence, recordedAt: Date): Promise<void>;
  /** Inserts or replaces the message for (request, platform, channel). */
  putPostedMessage(message: PostedMessage): Promise<void>;

  /** Inserts or replaces the reference for (platform, kind, key). */
  putConversationReference(record: ConversationReferenceRecord): Promise<void>;
  removeConversationReference(platform: ChatPlatform, kind: ConversationReferenceRecord['kind'], key: string): Promise<boolean>;

  insertGrant(grant: Grant): Promise<void>;
  /** Compare-and-set on the grant's status, like {@link StoreTx.updateRequest}. */
  updateGrant(id: string, expected: GrantStatus, patch: Partial<Omit<Grant, 'id' | 'requestId'>>): Promise<boolean>;

  /**
   * The same compare-and-set for many grants with one patch, in one statement; returns the ids
   * that were in `expected` status and changed. For batches the caller already holds.
   */
  updateGrants(ids: readonly string[], expected: GrantStatus, patch: Partial<Omit<Grant, 'id' | 'requestId'>>): Promise<string[]>;
  /**
   * Records confirmed revocations, each with the moment the AS confirmed it: each grant still
   * `revoking` becomes `revoked`, its sealed token is erased, `revokedAt` is set and
   * `revocationLagMs = revokedAt − endsAt`; the retry fields are cleared. Returns the ids that
   * changed (others were no longer `revoking`).
   */
  markGrantsRevoked(revocations: readonly ConfirmedRevocation[]): Promise<string[]>;

  /**
   * Appends one event to the chained audit trail (serialised across all writers) and returns
   * the stored record.
   */
  appendAudit(event: AuditEventInput): Promise<AuditRecord>;
  /** Appends several events, in order, under one lock of the chain's head. */
  appendAudits(events: readonly AuditEventInput[]): Promise<AuditRecord[]>;
}

export interface StoreHealth {
  ok: boolean;
  /** Machine-readable reason when not ok: `unreachable`, `migrations_pending`. */
  reason?: string;
  detail?: string;
}

export interface Store extends StoreReader {
  /** Runs `work` atomically; an exception rolls everything back and is rethrown. */
  transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
