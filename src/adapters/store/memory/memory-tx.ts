import type { ConversationReferenceRecord } from '../../../ports/conversation-references.ts';
import { chainAuditRecord, type AuditEventInput, type AuditKey, type AuditRecord } from '../../../domain/audit.ts';
import type { AuditStreamState } from '../../../domain/audit-stream.ts';
import type { Clock } from '../../../domain/clock.ts';
import type { Grant, GrantStatus } from '../../../domain/grant.ts';
import type { ChannelMapping, ChatIdentity, ChatPlatform, PostedMessage, Principal } from '../../../domain/principal.ts';
import type { BreakGlassVerdict, ElevationRequest, RequestStatus } from '../../../domain/request.ts';
import type { Review } from '../../../domain/review.ts';
import type { ScopeDefinition } from '../../../domain/scope.ts';
import type { AuthenticationEvidence } from '../../../domain/step-up.ts';
import type { StepUpFlow, StepUpTicket } from '../../../domain/step-up-ticket.ts';
import type { WebSession } from '../../../domain/web-session.ts';
import type { ClaimedGrants, DueGrantLocks } from '../../../ports/due-grants.ts';
import type { ConfirmedRevocation, IdempotencyRecord, StoreTx } from '../../../ports/store.ts';
import { duplicateError, missingReferenceError } from '../integrity-errors.ts';
import { MemoryReader } from './memory-reader.ts';
import { sortBy, time } from './ordering.ts';
import { conversationKey, copy, idempotencyKey, identityKey, mappingKey, postedMessageKey, reviewKey, type MemoryState } from './memory-state.ts';

/**
 * The write half of the in-memory store, working on a transaction's private copy of the state.
 * It enforces the same integrity rules as the SQL schema (unique keys, references to existing
 * rows, cascades), so a test that passes here does not fail on PostgreSQL for a reason the
 * in-memory store hid.
 */
export class MemoryTx extends MemoryReader implements StoreTx, DueGrantLocks {
  constructor(
    private readonly state: MemoryState,
    private readonly clock: Clock,
    private readonly auditKey: AuditKey | null = null,
  ) {
    super(() => state);
  }

  // The whole transaction holds the store's mutex, so reading is already locking.
  async lockRequest(id: string): Promise<ElevationRequest | null> {
    return this.getRequest(id);
  }

  async lockGrant(id: string): Promise<Grant | null> {
    return this.getGrant(id);
  }

  /** Transactions here already run one at a time. */
  async lockConfiguration(): Promise<void> {}

  /** Transactions here already run one at a time. */
  async lockPrincipal(): Promise<void> {}

  /** Nothing is ever held by another transaction here, so nothing is skipped. */
  async claimDueGrants(input: { now: Date; limit: number; leaseUntil: Date }): Promise<ClaimedGrants> {
    const now = input.now.getTime();
    const byEnd = (grants: Grant[]) => sortBy(grants, (g) => g.endsAt.getTime(), (g) => g.id);
    const all = [...this.state.grants.values()];
    const retrying = byEnd(all.filter((g) => g.status === 'revoking' && g.nextAttemptAt !== null && g.nextAttemptAt.getTime() <= now)).slice(0, Math.max(0, input.limit));
    const ending = byEnd(all.filter((g) => g.status === 'active' && g.endsAt.getTime() <= now)).slice(0, Math.max(0, input.limit - retrying.length));
    const claim = (grant: Grant, patch: Partial<Grant>) => {
      const claimed = { ...grant, ...patch, nextAttemptAt: new Date(input.leaseUntil) };
      this.state.grants.set(grant.id, claimed);
      return copy(claimed);
    };
    return {
      retrying: retrying.map((g) => claim(g, {})),
      ending: ending.map((g) => claim(g, { status: 'revoking', endReason: 'expired' })),
    };
  }

  async putScope(scope: ScopeDefinition): Promise<void> {
    this.state.scopes.set(scope.name, copy(scope));
  }

  /** Removing a scope removes its channel mappings (ON DELETE CASCADE); its requests stay as history. */
  async deleteScope(name: string): Promise<boolean> {
    if (!this.state.scopes.delete(name)) return false;
    for (const [key, mapping] of this.state.channelMappings) {
      if (mapping.scopeName === name) this.state.channelMappings.delete(key);
    }
    return true;
  }

  async putPrincipal(principal: Principal): Promise<void> {
    this.state.principals.set(principal.id, copy(principal));
  }

  /** Removing a principal removes its chat identities (ON DELETE CASCADE); its requests stay as history. */
  async deletePrincipal(id: string): Promise<boolean> {
    if (!this.state.principals.delete(id)) return false;
    for (const [key, identity] of this.state.identities) {
      if (identity.principalId === id) this.state.identities.delete(key);
    }
    // A person removed from the configuration is signed out of every browser at once.
    for (const [key, session] of this.state.webSessions) {
      if (session.principalId === id) this.state.webSessions.delete(key);
    }
    return true;
  }

  async putIdentity(identity: ChatIdentity): Promise<void> {
    if (!this.state.principals.has(identity.principalId)) throw missingReferenceError(`Principal ${identity.principalId}`);
    this.state.identities.set(identityKey(identity.platform, identity.userId), copy(identity));
  }

  async deleteIdentity(platform: ChatPlatform, userId: string): Promise<boolean> {
    return this.state.identities.delete(identityKey(platform, userId));
  }

  async addChannelMapping(mapping: ChannelMapping): Promise<boolean> {
    if (!this.state.scopes.has(mapping.scopeName)) throw missingReferenceError(`Scope ${mapping.scopeName}`);
    const key = mappingKey(mapping);
    if (this.state.channelMappings.has(key)) return false;
    this.state.channelMappings.set(key, copy(mapping));
    return true;
  }

  async removeChannelMapping(mapping: ChannelMapping): Promise<boolean> {
    return this.state.channelMappings.delete(mappingKey(mapping));
  }

  async insertRequest(request: ElevationRequest): Promise<void> {
    if (this.state.requests.has(request.id)) throw duplicateError(`Request ${request.id}`);
    this.state.requests.set(request.id, copy(request));
  }

  async updateRequest(id: string, expected: RequestStatus, patch: Partial<Omit<ElevationRequest, 'id'>>): Promise<boolean> {
    const current = this.state.requests.get(id);
    if (!current || current.status !== expected) return false;
    this.state.requests.set(id, { ...current, ...definedFields(patch), id });
    return true;
  }

  async markBreakGlassReminded(requestId: string, at: Date): Promise<boolean> {
    const current = this.state.requests.get(requestId);
    if (!current?.breakGlass || current.breakGlass.reviewedAt !== null || current.breakGlass.remindedAt !== null) return false;
    this.state.requests.set(requestId, { ...current, breakGlass: { ...current.breakGlass, remindedAt: new Date(at) } });
    return true;
  }

  async recordBreakGlassReview(requestId: string, review: { reviewedAt: Date; reviewedBy: string; verdict: BreakGlassVerdict; note: string | null }): Promise<boolean> {
    const current = this.state.requests.get(requestId);
    if (!current?.breakGlass || current.breakGlass.reviewedAt !== null) return false;
    this.state.requests.set(requestId, { ...current, breakGlass: { ...current.breakGlass, ...review, reviewedAt: new Date(review.reviewedAt) } });
    return true;
  }

  async insertReview(review: Review): Promise<boolean> {
    this.requireRequest(review.requestId);
    const key = reviewKey(review.requestId, review.approverId);
    if (this.state.reviews.has(key)) return false;
    this.state.reviews.set(key, copy(review));
    return true;
  }

  async insertIdempotencyKey(record: IdempotencyRecord): Promise<boolean> {
    this.requireRequest(record.requestId);
    const key = idempotencyKey(record.principalId, record.key);
    if (this.state.idempotencyKeys.has(key)) return false;
    this.state.idempotencyKeys.set(key, copy(record));
    return true;
  }

  async insertStepUpTicket(ticket: StepUpTicket): Promise<void> {
    this.requireRequest(ticket.requestId);
    if (this.state.stepUpTickets.has(ticket.idHash)) throw duplicateError('step_up_tickets', ticket.idHash);
    this.state.stepUpTickets.set(ticket.idHash, copy(ticket));
  }

  async startStepUpTicket(idHash: string, flow: StepUpFlow): Promise<boolean> {
    const ticket = this.state.stepUpTickets.get(idHash);
    if (!ticket || ticket.startedAt !== null || ticket.expiresAt.getTime() <= flow.startedAt.getTime()) return false;
    if ([...this.state.stepUpTickets.values()].some((other) => other.stateHash === flow.stateHash)) throw duplicateError('step_up_tickets', 'state_hash');
    this.state.stepUpTickets.set(idHash, { ...ticket, ...copy(flow) });
    return true;
  }

  async completeStepUpTicket(idHash: string, completedAt: Date): Promise<boolean> {
    const ticket = this.state.stepUpTickets.get(idHash);
    if (!ticket || ticket.startedAt === null || ticket.completedAt !== null) return false;
    this.state.stepUpTickets.set(idHash, { ...ticket, completedAt: new Date(completedAt) });
    return true;
  }

  async deleteExpiredStepUpTickets(before: Date): Promise<number> {
    let deleted = 0;
    for (const [idHash, ticket] of this.state.stepUpTickets) {
      if (ticket.expiresAt.getTime() < before.getTime()) {
        this.state.stepUpTickets.delete(idHash);
        deleted += 1;
      }
    }
    return deleted;
  }

  async insertWebSession(session: WebSession): Promise<void> {
    if (this.state.webSessions.has(session.idHash)) throw duplicateError('web_sessions', session.idHash);
    if (!this.state.principals.has(session.principalId)) throw missingReferenceError(`Principal ${session.principalId}`);
    this.state.webSessions.set(session.idHash, copy(session));
  }

  async touchWebSession(idHash: string, at: Date): Promise<boolean> {
    return this.patchOpenWebSession(idHash, { lastSeenAt: new Date(at) });
  }

  async setWebSessionEvidence(idHash: string, evidence: AuthenticationEvidence): Promise<boolean> {
    return this.patchOpenWebSession(idHash, { evidence: copy(evidence) });
  }

  async endWebSession(idHash: string, at: Date): Promise<boolean> {
    return this.patchOpenWebSession(idHash, { endedAt: new Date(at) });
  }

  async deleteExpiredWebSessions(before: Date): Promise<number> {
    const expired = [...this.state.webSessions.values()].filter((session) => session.expiresAt.getTime() < before.getTime());
    expired.forEach((session) => this.state.webSessions.delete(session.idHash));
    return expired.length;
  }

  private patchOpenWebSession(idHash: string, patch: Partial<WebSession>): boolean {
    const session = this.state.webSessions.get(idHash);
    if (!session || session.endedAt !== null) return false;
    this.state.webSessions.set(idHash, { ...session, ...patch });
    return true;
  }

  async putLastAuthentication(principalId: string, evidence: AuthenticationEvidence, _recordedAt: Date): Promise<void> {
    this.state.authentications.set(principalId, copy(evidence));
  }

  async putPostedMessage(message: PostedMessage): Promise<void> {
    this.requireRequest(message.requestId);
    this.state.postedMessages.set(postedMessageKey(message), copy(message));
  }

  async putConversationReference(record: ConversationReferenceRecord): Promise<void> {
    this.state.conversations.set(conversationKey(record.platform, record.kind, record.key), copy(record));
  }

  async removeConversationReference(platform: ChatPlatform, kind: ConversationReferenceRecord['kind'], key: string): Promise<boolean> {
    return this.state.conversations.delete(conversationKey(platform, kind, key));
  }

  async insertGrant(grant: Grant): Promise<void> {
    this.requireRequest(grant.requestId);
    if (this.state.grants.has(grant.id)) throw duplicateError(`Grant ${grant.id}`);
    for (const existing of this.state.grants.values()) {
      if (existing.requestId === grant.requestId) throw duplicateError(`A grant for request ${grant.requestId}`);
    }
    this.state.grants.set(grant.id, copy(grant));
  }

  async updateGrant(id: string, expected: GrantStatus, patch: Partial<Omit<Grant, 'id' | 'requestId'>>): Promise<boolean> {
    const current = this.state.grants.get(id);
    if (!current || current.status !== expected) return false;
    this.state.grants.set(id, { ...current, ...definedFields(patch), id, requestId: current.requestId });
    return true;
  }

  async updateGrants(ids: readonly string[], expected: GrantStatus, patch: Partial<Omit<Grant, 'id' | 'requestId'>>): Promise<string[]> {
    const changed: string[] = [];
    for (const id of new Set(ids)) if (await this.updateGrant(id, expected, patch)) changed.push(id);
    return changed;
  }

  async markGrantsRevoked(revocations: readonly ConfirmedRevocation[]): Promise<string[]> {
    const changed: string[] = [];
    for (const { id, revokedAt } of revocations) {
      const current = this.state.grants.get(id);
      if (!current || current.status !== 'revoking') continue;
      this.state.grants.set(id, {
        ...current,
        status: 'revoked',
        tokenSealed: null,
        revokedAt: new Date(revokedAt),
        revocationLagMs: revokedAt.getTime() - current.endsAt.getTime(),
        nextAttemptAt: null,
        lastError: null,
      });
      changed.push(id);
    }
    return changed;
  }

  async appendAudits(events: readonly AuditEventInput[]): Promise<AuditRecord[]> {
    const records: AuditRecord[] = [];
    for (const event of events) records.push(await this.appendAudit(event));
    return records;
  }

  async appendAudit(event: AuditEventInput): Promise<AuditRecord> {
    const record = chainAuditRecord(this.state.auditHead, event, this.clock.now(), this.auditKey);
    this.state.audit.push(record);
    this.state.auditHead = { seq: record.seq, hash: record.hash };
    return copy(record);
  }

  private requireRequest(requestId: string): void {
    if (!this.state.requests.has(requestId)) throw missingReferenceError(`Request ${requestId}`);
  }

  async leaseAuditStream(input: { name: string; holder: string; now: Date; leaseUntil: Date }): Promise<AuditStreamState | null> {
    const current = this.state.auditStreams.get(input.name);
    const free = !current || current.holder === input.holder || current.leaseUntil === null || time(current.leaseUntil) <= time(input.now);
    if (!free) return null;
    const next: AuditStreamState = {
      ...(current ?? { name: input.name, cursorSeq: 0, attempts: 0, nextAttemptAt: null, deliveredAt: null }),
      holder: input.holder,
      leaseUntil: new Date(input.leaseUntil),
    };
    this.state.auditStreams.set(input.name, next);
    return copy(next);
  }

  async advanceAuditStream(input: { name: string; holder: string; fromSeq: number; toSeq: number; deliveredAt: Date }): Promise<boolean> {
    return this.changeStream(input.name, input.holder, (current) =>
      current.cursorSeq !== input.fromSeq ? null : { ...current, cursorSeq: input.toSeq, attempts: 0, nextAttemptAt: null, deliveredAt: new Date(input.deliveredAt) },
    );
  }

  async deferAuditStream(input: { name: string; holder: string; attempts: number; nextAttemptAt: Date }): Promise<boolean> {
    return this.changeStream(input.name, input.holder, (current) => ({ ...current, attempts: input.attempts, nextAttemptAt: new Date(input.nextAttemptAt) }));
  }

  async releaseAuditStream(input: { name: string; holder: string; now: Date }): Promise<boolean> {
    return this.changeStream(input.name, input.holder, (current) => ({ ...current, leaseUntil: new Date(input.now) }));
  }

  /** Replaces the stream's row when `holder` is named on it and `change` returns a new row. */
  private changeStream(name: string, holder: string, change: (current: AuditStreamState) => AuditStreamState | null): boolean {
    const current = this.state.auditStreams.get(name);
    if (!current || current.holder !== holder) return false;
    const next = change(current);
    if (!next) return false;
    this.state.auditStreams.set(name, next);
    return true;
  }
}

/**
 * A patch's `undefined` fields mean "leave as is" (as they do for Prisma), and the stored value
 * must not share nested objects with the caller.
 */
function definedFields<T extends object>(patch: T): Partial<T> {
  return copy(Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined))) as Partial<T>;
}
