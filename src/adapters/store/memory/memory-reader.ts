import type { AuthenticationEvidence } from '../../../domain/step-up.ts';
import type { StepUpTicket } from '../../../domain/step-up-ticket.ts';
import type { WebSession } from '../../../domain/web-session.ts';
import { WAITING_STATUSES } from '../../../domain/request.ts';
import type { ConversationReferenceRecord } from '../../../ports/conversation-references.ts';
import type { AuditRecord } from '../../../domain/audit.ts';
import type { AuditStreamLag, AuditStreamState } from '../../../domain/audit-stream.ts';
import type { Grant } from '../../../domain/grant.ts';
import type { ChannelMapping, ChatIdentity, ChatPlatform, PostedMessage, Principal } from '../../../domain/principal.ts';
import type { ElevationRequest } from '../../../domain/request.ts';
import type { Review } from '../../../domain/review.ts';
import type { ScopeDefinition } from '../../../domain/scope.ts';
import type { AuditSearch, GrantFilter, IdempotencyRecord, OperationalCounts, RequestFilter, RevocationLagBucket, ScopeHolder, StoreReader } from '../../../ports/store.ts';
import { matchesAuditSearch, revocationLagBuckets } from './audit-search.ts';
import { conversationKey, copy, idempotencyKey, identityKey, type MemoryState } from './memory-state.ts';
import { sortBy, time } from './ordering.ts';

/**
 * The read half of the in-memory store, over whichever state `view()` returns: the committed
 * state for reads outside a transaction, the transaction's working copy inside one.
 */
export class MemoryReader implements StoreReader {
  constructor(protected readonly view: () => MemoryState) {}

  async getScope(name: string): Promise<ScopeDefinition | null> {
    return copyOrNull(this.view().scopes.get(name));
  }

  async listScopes(): Promise<ScopeDefinition[]> {
    return copy(sortBy([...this.view().scopes.values()], (s) => s.name));
  }

  async getPrincipal(id: string): Promise<Principal | null> {
    return copyOrNull(this.view().principals.get(id));
  }

  async getPrincipals(ids: readonly string[]): Promise<Principal[]> {
    const wanted = new Set(ids);
    return copy(sortBy([...this.view().principals.values()].filter((p) => wanted.has(p.id)), (p) => p.id));
  }

  async listPrincipals(): Promise<Principal[]> {
    return copy(sortBy([...this.view().principals.values()], (p) => p.id));
  }

  async findPrincipalByIdentity(platform: ChatPlatform, userId: string): Promise<Principal | null> {
    const state = this.view();
    const identity = state.identities.get(identityKey(platform, userId));
    return identity ? copyOrNull(state.principals.get(identity.principalId)) : null;
  }

  async listIdentities(principalId?: string): Promise<ChatIdentity[]> {
    const all = [...this.view().identities.values()];
    const matching = principalId === undefined ? all : all.filter((i) => i.principalId === principalId);
    return copy(sortBy(matching, (i) => i.platform, (i) => i.userId));
  }

  async listChannelMappings(filter: { scopeName?: string; platform?: ChatPlatform; channelId?: string } = {}): Promise<ChannelMapping[]> {
    const matching = [...this.view().channelMappings.values()].filter(
      (m) =>
        (filter.scopeName === undefined || m.scopeName === filter.scopeName) &&
        (filter.platform === undefined || m.platform === filter.platform) &&
        (filter.channelId === undefined || m.channelId === filter.channelId),
    );
    return copy(sortBy(matching, (m) => m.platform, (m) => m.channelId, (m) => m.scopeName));
  }

  async getRequest(id: string): Promise<ElevationRequest | null> {
    return copyOrNull(this.view().requests.get(id));
  }

  async listRequests(filter: RequestFilter): Promise<ElevationRequest[]> {
    const cutoff = filter.pendingUntilAtOrBefore;
    const decidedBy = filter.decidedAtOrBefore;
    const granted = filter.withoutGrant ? new Set([...this.view().grants.values()].map((g) => g.requestId)) : new Set<string>();
    const matching = [...this.view().requests.values()].filter(
      (r) =>
        (filter.ids === undefined || filter.ids.includes(r.id)) &&
        (filter.requesterId === undefined || r.requesterId === filter.requesterId) &&
        (filter.scopeName === undefined || r.scopeName === filter.scopeName) &&
        (filter.extendsGrantId === undefined || r.extendsGrantId === filter.extendsGrantId) &&
        (!filter.breakGlassUnreviewed || (r.breakGlass !== null && r.breakGlass.reviewedAt === null)) &&
        (filter.breakGlassOverdueAt === undefined ||
          (r.breakGlass !== null && r.breakGlass.reviewedAt === null && r.breakGlass.remindedAt === null && time(r.breakGlass.dueAt) <= time(filter.breakGlassOverdueAt))) &&
        (filter.statuses === undefined || filter.statuses.includes(r.status)) &&
        (cutoff === undefined || (WAITING_STATUSES.includes(r.status) && time(r.pendingUntil) <= time(cutoff))) &&
        (decidedBy === undefined || (r.decidedAt !== null && time(r.decidedAt) <= time(decidedBy))) &&
        !granted.has(r.id),
    );
    return copy(limit(sortBy(matching, (r) => time(r.createdAt), (r) => r.id), filter.limit));
  }

  async countRequestsSince(requesterId: string, scopeName: string, since: Date, before?: Date): Promise<number> {
    let count = 0;
    for (const r of this.view().requests.values()) {
      if (r.requesterId !== requesterId || r.scopeName !== scopeName || time(r.createdAt) < time(since)) continue;
      if (before === undefined || time(r.createdAt) < time(before)) count += 1;
    }
    return count;
  }

  async listScopeHolders(scopeName: string, at: Date): Promise<ScopeHolder[]> {
    const state = this.view();
    const latest = new Map<string, Date>();
    for (const grant of state.grants.values()) {
      if (grant.status !== 'active' || time(grant.endsAt) <= time(at)) continue;
      const request = state.requests.get(grant.requestId);
      if (!request || request.scopeName !== scopeName) continue;
      const seen = latest.get(request.requesterId);
      if (!seen || time(seen) < time(grant.endsAt)) latest.set(request.requesterId, grant.endsAt);
    }
    const holders = [...latest].map(([principalId, endsAt]) => ({ principalId, endsAt: new Date(endsAt) }));
    return holders.sort((a, b) => time(b.endsAt) - time(a.endsAt) || a.principalId.localeCompare(b.principalId));
  }

  async listReviews(requestId: string): Promise<Review[]> {
    const matching = [...this.view().reviews.values()].filter((r) => r.requestId === requestId);
    return copy(sortBy(matching, (r) => time(r.createdAt), (r) => r.approverId));
  }

  async listReviewsOf(requestIds: readonly string[]): Promise<Review[]> {
    const wanted = new Set(requestIds);
    const matching = [...this.view().reviews.values()].filter((r) => wanted.has(r.requestId));
    return copy(sortBy(matching, (r) => r.requestId, (r) => time(r.createdAt), (r) => r.approverId));
  }

  async listPostedMessages(requestId: string): Promise<PostedMessage[]> {
    const matching = [...this.view().postedMessages.values()].filter((m) => m.requestId === requestId);
    return copy(sortBy(matching, (m) => time(m.postedAt), (m) => m.platform, (m) => m.channelId));
  }

  async getStepUpTicket(idHash: string): Promise<StepUpTicket | null> {
    return copyOrNull(this.view().stepUpTickets.get(idHash));
  }

  async findStepUpTicketByState(stateHash: string): Promise<StepUpTicket | null> {
    return copyOrNull([...this.view().stepUpTickets.values()].find((ticket) => ticket.stateHash === stateHash));
  }

  async getLastAuthentication(principalId: string): Promise<AuthenticationEvidence | null> {
    return copyOrNull(this.view().authentications.get(principalId));
  }

  async getWebSession(idHash: string): Promise<WebSession | null> {
    return copyOrNull(this.view().webSessions.get(idHash));
  }

  async findIdempotencyKey(principalId: string, key: string): Promise<IdempotencyRecord | null> {
    return copyOrNull(this.view().idempotencyKeys.get(idempotencyKey(principalId, key)));
  }

  async getConversationReference(platform: ChatPlatform, kind: ConversationReferenceRecord['kind'], key: string): Promise<ConversationReferenceRecord | null> {
    return copyOrNull(this.view().conversations.get(conversationKey(platform, kind, key)));
  }

  async getGrant(id: string): Promise<Grant | null> {
    return copyOrNull(this.view().grants.get(id));
  }

  async getGrantByRequest(requestId: string): Promise<Grant | null> {
    for (const grant of this.view().grants.values()) {
      if (grant.requestId === requestId) return copy(grant);
    }
    return null;
  }

  async listGrants(filter: GrantFilter): Promise<Grant[]> {
    const cutoff = filter.endsAtOrBefore;
    const matching = [...this.view().grants.values()].filter(
      (g) =>
        (filter.statuses === undefined || filter.statuses.includes(g.status)) &&
        (filter.requestIds === undefined || filter.requestIds.includes(g.requestId)) &&
        (cutoff === undefined || time(g.endsAt) <= time(cutoff)),
    );
    return copy(limit(sortBy(matching, (g) => time(g.endsAt), (g) => g.id), filter.limit));
  }

  async listAudit(afterSeq: number, limitCount: number): Promise<AuditRecord[]> {
    // audit[i].seq === i + 1, so the records after `afterSeq` start at index `afterSeq`.
    const start = Math.max(0, Math.floor(afterSeq));
    return copy(this.view().audit.slice(start, start + Math.max(0, limitCount)));
  }

  async getAuditHead(): Promise<{ seq: number; hash: string } | null> {
    return copyOrNull(this.view().auditHead ?? undefined);
  }

  async searchAudit(search: AuditSearch, order: 'newest_first' | 'oldest_first', limitCount: number): Promise<AuditRecord[]> {
    const state = this.view();
    const records = order === 'newest_first' ? [...state.audit].reverse() : state.audit;
    const found: AuditRecord[] = [];
    for (const record of records) {
      if (found.length >= limitCount) break;
      if (matchesAuditSearch(record, search, (id) => state.requests.get(id))) found.push(record);
    }
    return copy(found);
  }

  async operationalCounts(input: { now: Date; overdueBefore: Date }): Promise<OperationalCounts> {
    const state = this.view();
    const active = new Map<string, number>();
    let revocationsPending = 0;
    let revocationsOverdue = 0;
    for (const grant of state.grants.values()) {
      const ended = time(grant.endsAt) <= time(input.now);
      if (grant.status === 'active' && !ended) {
        const scopeName = state.requests.get(grant.requestId)?.scopeName;
        if (scopeName !== undefined) active.set(scopeName, (active.get(scopeName) ?? 0) + 1);
      } else if (grant.status === 'revoking' || (grant.status === 'active' && ended)) {
        revocationsPending += 1;
        if (time(grant.endsAt) <= time(input.overdueBefore)) revocationsOverdue += 1;
      }
    }
    const activeGrants = sortBy([...active].map(([scopeName, count]) => ({ scopeName, count })), (entry) => entry.scopeName);
    return { activeGrants, revocationsPending, revocationsOverdue };
  }

  async revocationLagBuckets(input: { from: Date; to: Date; bucketSec: number }): Promise<RevocationLagBucket[]> {
    return revocationLagBuckets(this.view().grants.values(), input);
  }

  async getAuditStream(name: string): Promise<AuditStreamState | null> {
    return copyOrNull(this.view().auditStreams.get(name));
  }

  async getAuditStreamLag(name: string): Promise<AuditStreamLag> {
    const state = this.view();
    const cursorSeq = state.auditStreams.get(name)?.cursorSeq ?? 0;
    const headSeq = state.auditHead?.seq ?? 0;
    const oldest = headSeq > cursorSeq ? state.audit[cursorSeq] : undefined;
    return { cursorSeq, headSeq, behind: Math.max(0, headSeq - cursorSeq), oldestUnsentAt: oldest ? new Date(oldest.at) : null };
  }
}

function copyOrNull<T>(value: T | undefined): T | null {
  return value === undefined ? null : copy(value);
}

function limit<T>(items: T[], max: number | undefined): T[] {
  return max === undefined ? items : items.slice(0, Math.max(0, max));
}
