import type { AuditEventInput, AuditKey, AuditRecord } from '../../../domain/audit.ts';
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
import type { ConversationReferenceRecord } from '../../../ports/conversation-references.ts';
import type { ClaimedGrants, DueGrantLocks } from '../../../ports/due-grants.ts';
import type { ConfirmedRevocation, IdempotencyRecord, StoreTx } from '../../../ports/store.ts';
import { appendAuditRecords } from './audit-head.ts';
import { advanceStream, deferStream, leaseStream, releaseStream } from './audit-stream-statements.ts';
import { guarded } from './errors.ts';
import { claimDueGrantsForLease, markRevokedInStatusRevoking, updateGrantsInStatus } from './grant-statements.ts';
import type * as Rows from '../../../generated/prisma/client.ts';
import * as map from './mapping.ts';
import { GRANT_COLUMNS, REQUEST_COLUMNS } from './row-columns.ts';
import { PrismaReader, type Db } from './prisma-reader.ts';

/** The advisory lock key of {@link PrismaTx.lockConfiguration}: 'Elev' as an integer, then 1. */
const CONFIGURATION_LOCK = { space: 0x456c6576, id: 1 } as const;
/** The advisory lock space of {@link PrismaTx.lockPrincipal}: 'Elew'; the key is the id's hash. */
const PRINCIPAL_LOCK_SPACE = 0x456c6577;

/**
 * One interactive Prisma transaction seen through the store port. Locks are row locks
 * (`SELECT … FOR UPDATE`) held until the transaction ends; state changes are conditional
 * updates whose affected-row count says whether they happened.
 */
export class PrismaTx extends PrismaReader implements StoreTx, DueGrantLocks {
  /** Audit records this transaction appended: counted for the metrics once it commits. */
  auditAppended = 0;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly auditKey: AuditKey | null = null,
  ) {
    super(db);
  }

  /** Locks and reads the row in one statement (each statement is a round trip; on the embedded database, a turn of its one thread). */
  lockRequest(id: string): Promise<ElevationRequest | null> {
    return guarded(async () => {
      const [row] = await this.db.$queryRaw<Rows.ElevationRequest[]>`SELECT ${REQUEST_COLUMNS} FROM elevation_requests WHERE id = ${id} FOR UPDATE`;
      return row ? map.requestFromRow(row) : null;
    });
  }

  lockGrant(id: string): Promise<Grant | null> {
    return guarded(async () => {
      const [row] = await this.db.$queryRaw<Rows.Grant[]>`SELECT ${GRANT_COLUMNS} FROM grants WHERE id = ${id} FOR UPDATE`;
      return row ? map.grantFromRow(row) : null;
    });
  }

  /** A transaction-scoped advisory lock, released by the commit or rollback. */
  lockConfiguration(): Promise<void> {
    return guarded(async () => {
      await this.db.$executeRaw`SELECT pg_advisory_xact_lock(${CONFIGURATION_LOCK.space}::int, ${CONFIGURATION_LOCK.id}::int)`;
    });
  }

  /** An advisory lock on the id's hash: it works for ids with no row, and a hash collision only serialises two people. */
  lockPrincipal(id: string): Promise<void> {
    return guarded(async () => {
      await this.db.$executeRaw`SELECT pg_advisory_xact_lock(${PRINCIPAL_LOCK_SPACE}::int, hashtext(${id}))`;
    });
  }

  claimDueGrants(input: { now: Date; limit: number; leaseUntil: Date }): Promise<ClaimedGrants> {
    return guarded(() => claimDueGrantsForLease(this.db, input));
  }

  putScope(scope: ScopeDefinition): Promise<void> {
    const row = map.scopeToRow(scope);
    return guarded(async () => {
      await this.db.scope.upsert({ where: { name: scope.name }, create: row, update: row });
    });
  }

  deleteScope(name: string): Promise<boolean> {
    return guarded(async () => (await this.db.scope.deleteMany({ where: { name } })).count > 0);
  }

  putPrincipal(principal: Principal): Promise<void> {
    const row = map.principalToRow(principal);
    return guarded(async () => {
      await this.db.principal.upsert({ where: { id: principal.id }, create: row, update: row });
    });
  }

  deletePrincipal(id: string): Promise<boolean> {
    return guarded(async () => (await this.db.principal.deleteMany({ where: { id } })).count > 0);
  }

  putIdentity(identity: ChatIdentity): Promise<void> {
    const row = map.identityToRow(identity);
    return guarded(async () => {
      await this.db.chatIdentity.upsert({
        where: { platform_userId: { platform: identity.platform, userId: identity.userId } },
        create: row,
        update: { principalId: row.principalId },
      });
    });
  }

  deleteIdentity(platform: ChatPlatform, userId: string): Promise<boolean> {
    return guarded(async () => (await this.db.chatIdentity.deleteMany({ where: { platform, userId } })).count > 0);
  }

  addChannelMapping(mapping: ChannelMapping): Promise<boolean> {
    // skipDuplicates is INSERT … ON CONFLICT DO NOTHING: a repeat does not abort the transaction.
    return guarded(async () => (await this.db.channelMapping.createMany({ data: [map.mappingToRow(mapping)], skipDuplicates: true })).count > 0);
  }

  removeChannelMapping(mapping: ChannelMapping): Promise<boolean> {
    return guarded(async () => (await this.db.channelMapping.deleteMany({ where: map.mappingToRow(mapping) })).count > 0);
  }

  insertRequest(request: ElevationRequest): Promise<void> {
    return guarded(async () => {
      await this.db.elevationRequest.create({ data: map.requestToRow(request) });
    });
  }

  updateRequest(id: string, expected: RequestStatus, patch: Partial<Omit<ElevationRequest, 'id'>>): Promise<boolean> {
    const data = map.requestPatchToRow(patch);
    return guarded(async () => (await this.db.elevationRequest.updateMany({ where: { id, status: expected }, data })).count === 1);
  }

  markBreakGlassReminded(requestId: string, at: Date): Promise<boolean> {
    return guarded(async () => (await this.db.elevationRequest.updateMany({ where: { id: requestId, breakGlassDueAt: { not: null }, breakGlassReviewedAt: null, breakGlassRemindedAt: null }, data: { breakGlassRemindedAt: at } })).count === 1);
  }

  recordBreakGlassReview(requestId: string, review: { reviewedAt: Date; reviewedBy: string; verdict: BreakGlassVerdict; note: string | null }): Promise<boolean> {
    const data = { breakGlassReviewedAt: review.reviewedAt, breakGlassReviewedBy: review.reviewedBy, breakGlassVerdict: review.verdict, breakGlassNote: review.note };
    return guarded(async () => (await this.db.elevationRequest.updateMany({ where: { id: requestId, breakGlassDueAt: { not: null }, breakGlassReviewedAt: null }, data })).count === 1);
  }

  insertReview(review: Review): Promise<boolean> {
    // A failed INSERT would abort the whole PostgreSQL transaction; ON CONFLICT DO NOTHING
    // (skipDuplicates) reports the repeat as "0 rows" and leaves the transaction usable.
    return guarded(async () => (await this.db.review.createMany({ data: [map.reviewToRow(review)], skipDuplicates: true })).count === 1);
  }

  insertIdempotencyKey(record: IdempotencyRecord): Promise<boolean> {
    // As with reviews: a conflicting INSERT must not abort the transaction.
    return guarded(async () => (await this.db.idempotencyKey.createMany({ data: [{ ...record }], skipDuplicates: true })).count === 1);
  }

  insertStepUpTicket(ticket: StepUpTicket): Promise<void> {
    return guarded(async () => {
      await this.db.stepUpTicket.create({ data: { ...ticket } });
    });
  }

  startStepUpTicket(idHash: string, flow: StepUpFlow): Promise<boolean> {
    return guarded(async () => (await this.db.stepUpTicket.updateMany({ where: { idHash, startedAt: null, expiresAt: { gt: flow.startedAt } }, data: { ...flow } })).count === 1);
  }

  completeStepUpTicket(idHash: string, completedAt: Date): Promise<boolean> {
    return guarded(async () => (await this.db.stepUpTicket.updateMany({ where: { idHash, startedAt: { not: null }, completedAt: null }, data: { completedAt } })).count === 1);
  }

  deleteExpiredStepUpTickets(before: Date): Promise<number> {
    return guarded(async () => (await this.db.stepUpTicket.deleteMany({ where: { expiresAt: { lt: before } } })).count);
  }

  insertWebSession(session: WebSession): Promise<void> {
    const { evidence, ...columns } = session;
    return guarded(async () => {
      await this.db.webSession.create({ data: { ...columns, ...map.webSessionEvidenceToRow(evidence) } });
    });
  }

  touchWebSession(idHash: string, at: Date): Promise<boolean> {
    return guarded(async () => (await this.db.webSession.updateMany({ where: { idHash, endedAt: null }, data: { lastSeenAt: at } })).count === 1);
  }

  setWebSessionEvidence(idHash: string, evidence: AuthenticationEvidence): Promise<boolean> {
    return guarded(async () => (await this.db.webSession.updateMany({ where: { idHash, endedAt: null }, data: map.webSessionEvidenceToRow(evidence) })).count === 1);
  }

  endWebSession(idHash: string, at: Date): Promise<boolean> {
    return guarded(async () => (await this.db.webSession.updateMany({ where: { idHash, endedAt: null }, data: { endedAt: at } })).count === 1);
  }

  deleteExpiredWebSessions(before: Date): Promise<number> {
    return guarded(async () => (await this.db.webSession.deleteMany({ where: { expiresAt: { lt: before } } })).count);
  }

  putLastAuthentication(principalId: string, evidence: AuthenticationEvidence, recordedAt: Date): Promise<void> {
    const row = { subject: evidence.subject, acr: evidence.acr, amr: [...evidence.amr], authTime: evidence.authTime, recordedAt };
    return guarded(async () => {
      await this.db.principalAuthentication.upsert({ where: { principalId }, create: { principalId, ...row }, update: row });
    });
  }

  putPostedMessage(message: PostedMessage): Promise<void> {
    const row = map.postedMessageToRow(message);
    return guarded(async () => {
      await this.db.postedMessage.upsert({
        where: { requestId_platform_channelId: { requestId: row.requestId, platform: row.platform, channelId: row.channelId } },
        create: row,
        update: { messageId: row.messageId, postedAt: row.postedAt },
      });
    });
  }

  putConversationReference(record: ConversationReferenceRecord): Promise<void> {
    const row = map.conversationToRow(record);
    return guarded(async () => {
      await this.db.conversationReference.upsert({
        where: { platform_kind_key: { platform: row.platform, kind: row.kind, key: row.key } },
        create: row,
        update: { reference: row.reference, updatedAt: row.updatedAt },
      });
    });
  }

  removeConversationReference(platform: ChatPlatform, kind: ConversationReferenceRecord['kind'], key: string): Promise<boolean> {
    return guarded(async () => (await this.db.conversationReference.deleteMany({ where: { platform, kind, key } })).count > 0);
  }

  insertGrant(grant: Grant): Promise<void> {
    return guarded(async () => {
      await this.db.grant.create({ data: map.grantToRow(grant) });
    });
  }

  updateGrant(id: string, expected: GrantStatus, patch: Partial<Omit<Grant, 'id' | 'requestId'>>): Promise<boolean> {
    const data = map.grantPatchToRow(patch);
    return guarded(async () => (await this.db.grant.updateMany({ where: { id, status: expected }, data })).count === 1);
  }

  updateGrants(ids: readonly string[], expected: GrantStatus, patch: Partial<Omit<Grant, 'id' | 'requestId'>>): Promise<string[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return guarded(() => updateGrantsInStatus(this.db, ids, expected, patch));
  }

  markGrantsRevoked(revocations: readonly ConfirmedRevocation[]): Promise<string[]> {
    if (revocations.length === 0) return Promise.resolve([]);
    return guarded(() => markRevokedInStatusRevoking(this.db, revocations));
  }

  async appendAudit(event: AuditEventInput): Promise<AuditRecord> {
    const [record] = await this.appendAudits([event]);
    return record!;
  }

  appendAudits(events: readonly AuditEventInput[]): Promise<AuditRecord[]> {
    if (events.length === 0) return Promise.resolve([]);
    return guarded(async () => {
      const records = await appendAuditRecords(this.db, events, this.clock.now(), this.auditKey);
      this.auditAppended += records.length;
      return records;
    });
  }

  leaseAuditStream(input: { name: string; holder: string; now: Date; leaseUntil: Date }): Promise<AuditStreamState | null> {
    return guarded(() => leaseStream(this.db, input));
  }

  advanceAuditStream(input: { name: string; holder: string; fromSeq: number; toSeq: number; deliveredAt: Date }): Promise<boolean> {
    return guarded(() => advanceStream(this.db, input));
  }

  deferAuditStream(input: { name: string; holder: string; attempts: number; nextAttemptAt: Date }): Promise<boolean> {
    return guarded(() => deferStream(this.db, input));
  }

  releaseAuditStream(input: { name: string; holder: string; now: Date }): Promise<boolean> {
    return guarded(() => releaseStream(this.db, input));
  }
}
