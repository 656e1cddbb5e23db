import type { AuthenticationEvidence } from '../../../domain/step-up.ts';
import type { StepUpTicket } from '../../../domain/step-up-ticket.ts';
import type { WebSession } from '../../../domain/web-session.ts';
import { WAITING_STATUSES } from '../../../domain/request.ts';
import type { AuditRecord } from '../../../domain/audit.ts';
import type { AuditStreamLag, AuditStreamState } from '../../../domain/audit-stream.ts';
import { readStream, readStreamLag } from './audit-stream-statements.ts';
import type { Grant } from '../../../domain/grant.ts';
import type { ChannelMapping, ChatIdentity, ChatPlatform, PostedMessage, Principal } from '../../../domain/principal.ts';
import type { ElevationRequest } from '../../../domain/request.ts';
import type { Review } from '../../../domain/review.ts';
import type { ScopeDefinition } from '../../../domain/scope.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { ConversationReferenceRecord } from '../../../ports/conversation-references.ts';
import type { AuditSearch, GrantFilter, IdempotencyRecord, OperationalCounts, RequestFilter, RevocationLagBucket, ScopeHolder, StoreReader } from '../../../ports/store.ts';
import { readRevocationLagBuckets, searchAudit } from './audit-search.ts';
import { readOperationalCounts } from './operational-counts.ts';
import { AUDIT_HEAD_ID } from './audit-head.ts';
import { guarded } from './errors.ts';
import type * as Rows from '../../../generated/prisma/client.ts';
import * as map from './mapping.ts';
import { PRINCIPAL_COLUMNS_OF_P } from './row-columns.ts';

/** The base client or a transaction's client: reads are the same through either. */
export type Db = Prisma.TransactionClient;

/**
 * The read half of the Prisma store. Outside a transaction it reads through the base client;
 * inside one, through the transaction's client, so it sees the transaction's own writes.
 * The orders match the in-memory store's (see the store contract).
 */
export class PrismaReader implements StoreReader {
  constructor(protected readonly db: Db) {}

  getScope(name: string): Promise<ScopeDefinition | null> {
    return guarded(async () => nullable(await this.db.scope.findUnique({ where: { name } }), map.scopeFromRow));
  }

  listScopes(): Promise<ScopeDefinition[]> {
    return guarded(async () => (await this.db.scope.findMany({ orderBy: { name: 'asc' } })).map(map.scopeFromRow));
  }

  getPrincipal(id: string): Promise<Principal | null> {
    return guarded(async () => nullable(await this.db.principal.findUnique({ where: { id } }), map.principalFromRow));
  }

  listPrincipals(): Promise<Principal[]> {
    return guarded(async () => (await this.db.principal.findMany({ orderBy: { id: 'asc' } })).map(map.principalFromRow));
  }

  getPrincipals(ids: readonly string[]): Promise<Principal[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return guarded(async () => (await this.db.principal.findMany({ where: { id: { in: [...new Set(ids)] } }, orderBy: { id: 'asc' } })).map(map.principalFromRow));
  }

  /** One statement (Prisma's `include` sends two): every chat action starts by asking it. */
  findPrincipalByIdentity(platform: ChatPlatform, userId: string): Promise<Principal | null> {
    return guarded(async () => {
      const [row] = await this.db.$queryRaw<Rows.Principal[]>`
        SELECT ${PRINCIPAL_COLUMNS_OF_P} FROM chat_identities i JOIN principals p ON p.id = i.principal_id
        WHERE i.platform = ${platform}::chat_platform AND i.user_id = ${userId}`;
      return nullable(row, map.principalFromRow);
    });
  }

  listIdentities(principalId?: string): Promise<ChatIdentity[]> {
    return guarded(async () => {
      const rows = await this.db.chatIdentity.findMany({ where: { principalId }, orderBy: [{ platform: 'asc' }, { userId: 'asc' }] });
      return rows.map(map.identityFromRow);
    });
  }

  listChannelMappings(filter: { scopeName?: string; platform?: ChatPlatform; channelId?: string } = {}): Promise<ChannelMapping[]> {
    return guarded(async () => {
      const rows = await this.db.channelMapping.findMany({
        where: { scopeName: filter.scopeName, platform: filter.platform, channelId: filter.channelId },
        orderBy: [{ platform: 'asc' }, { channelId: 'asc' }, { scopeName: 'asc' }],
      });
      return rows.map(map.mappingFromRow);
    });
  }

  getRequest(id: string): Promise<ElevationRequest | null> {
    return guarded(async () => nullable(await this.db.elevationRequest.findUnique({ where: { id } }), map.requestFromRow));
  }

  listRequests(filter: RequestFilter): Promise<ElevationRequest[]> {
    const cutoff = filter.pendingUntilAtOrBefore;
    return guarded(async () => {
      const rows = await this.db.elevationRequest.findMany({
        where: {
          id: filter.ids === undefined ? undefined : { in: [...filter.ids] },
          requesterId: filter.requesterId,
          scopeName: filter.scopeName,
          extendsGrantId: filter.extendsGrantId,
          AND: [
            filter.statuses === undefined ? {} : { status: { in: [...filter.statuses] } },
            cutoff === undefined ? {} : { status: { in: [...WAITING_STATUSES] }, pendingUntil: { lte: cutoff } },
            filter.decidedAtOrBefore === undefined ? {} : { decidedAt: { lte: filter.decidedAtOrBefore } },
            filter.withoutGrant ? { grant: { is: null } } : {},
            filter.breakGlassUnreviewed ? { breakGlassDueAt: { not: null }, breakGlassReviewedAt: null } : {},
            filter.breakGlassOverdueAt === undefined ? {} : { breakGlassDueAt: { lte: filter.breakGlassOverdueAt }, breakGlassReviewedAt: null, breakGlassRemindedAt: null },
          ],
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: take(filter.limit),
      });
      return rows.map(map.requestFromRow);
    });
  }

  countRequestsSince(requesterId: string, scopeName: string, since: Date, before?: Date): Promise<number> {
    return guarded(() => this.db.elevationRequest.count({ where: { requesterId, scopeName, createdAt: { gte: since, ...(before === undefined ? {} : { lt: before }) } } }));
  }

  listReviews(requestId: string): Promise<Review[]> {
    return guarded(async () => {
      const rows = await this.db.review.findMany({ where: { requestId }, orderBy: [{ createdAt: 'asc' }, { approverId: 'asc' }] });
      return rows.map(map.reviewFromRow);
    });
  }

  listReviewsOf(requestIds: readonly string[]): Promise<Review[]> {
    return guarded(async () => {
      const rows = await this.db.review.findMany({ where: { requestId: { in: [...requestIds] } }, orderBy: [{ requestId: 'asc' }, { createdAt: 'asc' }, { approverId: 'asc' }] });
      return rows.map(map.reviewFromRow);
    });
  }

  getStepUpTicket(idHash: string): Promise<StepUpTicket | null> {
    return guarded(async () => nullable(await this.db.stepUpTicket.findUnique({ where: { idHash } }), map.stepUpTicketFromRow));
  }

  findStepUpTicketByState(stateHash: string): Promise<StepUpTicket | null> {
    return guarded(async () => nullable(await this.db.stepUpTicket.findUnique({ where: { stateHash } }), map.stepUpTicketFromRow));
  }

  getLastAuthentication(principalId: string): Promise<AuthenticationEvidence | null> {
    return guarded(async () => nullable(await this.db.principalAuthentication.findUnique({ where: { principalId } }), map.authenticationFromRow));
  }

  getWebSession(idHash: string): Promise<WebSession | null> {
    return guarded(async () => nullable(await this.db.webSession.findUnique({ where: { idHash } }), map.webSessionFromRow));
  }

  findIdempotencyKey(principalId: string, key: string): Promise<IdempotencyRecord | null> {
    return guarded(async () => {
      const row = await this.db.idempotencyKey.findUnique({ where: { principalId_key: { principalId, key } } });
      return row ? { ...row } : null;
    });
  }

  getConversationReference(platform: ChatPlatform, kind: ConversationReferenceRecord['kind'], key: string): Promise<ConversationReferenceRecord | null> {
    return guarded(async () => {
      const row = await this.db.conversationReference.findUnique({ where: { platform_kind_key: { platform, kind, key } } });
      return row ? map.conversationFromRow(row) : null;
    });
  }

  listPostedMessages(requestId: string): Promise<PostedMessage[]> {
    return guarded(async () => {
      const rows = await this.db.postedMessage.findMany({
        where: { requestId },
        orderBy: [{ postedAt: 'asc' }, { platform: 'asc' }, { channelId: 'asc' }],
      });
      return rows.map(map.postedMessageFromRow);
    });
  }

  getGrant(id: string): Promise<Grant | null> {
    return guarded(async () => nullable(await this.db.grant.findUnique({ where: { id } }), map.grantFromRow));
  }

  getGrantByRequest(requestId: string): Promise<Grant | null> {
    return guarded(async () => nullable(await this.db.grant.findUnique({ where: { requestId } }), map.grantFromRow));
  }

  listGrants(filter: GrantFilter): Promise<Grant[]> {
    return guarded(async () => {
      const rows = await this.db.grant.findMany({
        where: {
          status: filter.statuses === undefined ? undefined : { in: [...filter.statuses] },
          requestId: filter.requestIds === undefined ? undefined : { in: [...filter.requestIds] },
          endsAt: filter.endsAtOrBefore === undefined ? undefined : { lte: filter.endsAtOrBefore },
        },
        orderBy: [{ endsAt: 'asc' }, { id: 'asc' }],
        take: take(filter.limit),
      });
      return rows.map(map.grantFromRow);
    });
  }

  operationalCounts(input: { now: Date; overdueBefore: Date }): Promise<OperationalCounts> {
    return guarded(() => readOperationalCounts(this.db, input));
  }

  listScopeHolders(scopeName: string, at: Date): Promise<ScopeHolder[]> {
    return guarded(async () => {
      const rows = await this.db.grant.findMany({
        where: { status: 'active', endsAt: { gt: at }, request: { scopeName } },
        select: { endsAt: true, request: { select: { requesterId: true } } },
      });
      const latest = new Map<string, Date>();
      for (const row of rows) {
        const seen = latest.get(row.request.requesterId);
        if (!seen || seen < row.endsAt) latest.set(row.request.requesterId, row.endsAt);
      }
      const holders = [...latest].map(([principalId, endsAt]) => ({ principalId, endsAt }));
      return holders.sort((a, b) => b.endsAt.getTime() - a.endsAt.getTime() || a.principalId.localeCompare(b.principalId));
    });
  }

  listAudit(afterSeq: number, limit: number): Promise<AuditRecord[]> {
    return guarded(async () => {
      const rows = await this.db.auditRecord.findMany({
        where: { seq: { gt: BigInt(Math.floor(afterSeq)) } },
        orderBy: { seq: 'asc' },
        take: Math.max(0, limit),
      });
      return rows.map(map.auditFromRow);
    });
  }

  getAuditHead(): Promise<{ seq: number; hash: string } | null> {
    return guarded(async () => {
      const head = await this.db.auditHead.findUnique({ where: { id: AUDIT_HEAD_ID } });
      // The head row is created (at seq 0) by the first append; until then the trail is empty.
      return head === null || head.seq === 0n ? null : { seq: Number(head.seq), hash: head.hash };
    });
  }

  searchAudit(search: AuditSearch, order: 'newest_first' | 'oldest_first', limit: number): Promise<AuditRecord[]> {
    return guarded(() => searchAudit(this.db, search, order, limit));
  }

  revocationLagBuckets(input: { from: Date; to: Date; bucketSec: number }): Promise<RevocationLagBucket[]> {
    return guarded(() => readRevocationLagBuckets(this.db, input));
  }

  getAuditStream(name: string): Promise<AuditStreamState | null> {
    return guarded(() => readStream(this.db, name));
  }

  getAuditStreamLag(name: string): Promise<AuditStreamLag> {
    return guarded(() => readStreamLag(this.db, name));
  }
}

function nullable<R, T>(row: R | null | undefined, convert: (row: R) => T): T | null {
  return row === null || row === undefined ? null : convert(row);
}

/** Prisma reads a negative `take` as "from the end"; the port means "at most". */
function take(limit: number | undefined): number | undefined {
  return limit === undefined ? undefined : Math.max(0, limit);
}
