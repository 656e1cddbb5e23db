/**
 * Rows ↔ domain values, in one place: the rest of the Prisma store and everything above it never
 * handle a Prisma type. Enum values are spelled the same in the schema and the domain, so the
 * compiler flags any status added on one side only.
 */
import type { AuditRecord } from '../../../domain/audit.ts';
import type { Grant } from '../../../domain/grant.ts';
import type { ChannelMapping, ChatIdentity, PostedMessage, Principal } from '../../../domain/principal.ts';
import type { BreakGlassReview, BreakGlassVerdict, ElevationRequest, RequesterAuthentication } from '../../../domain/request.ts';
import type { AuthenticationEvidence, MfaPolicy } from '../../../domain/step-up.ts';
import type { StepUpPurpose, StepUpTicket } from '../../../domain/step-up-ticket.ts';
import type { WebSession } from '../../../domain/web-session.ts';
import type { Review } from '../../../domain/review.ts';
import { EMPTY_POLICY, type BreakGlassPolicy, type ExtendPolicy, type ScopeDefinition, type ScopeEscalation, type ScopePolicy } from '../../../domain/scope.ts';
import type * as Rows from '../../../generated/prisma/client.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { ConversationReferenceRecord } from '../../../ports/conversation-references.ts';

export function scopeFromRow(row: Rows.Scope): ScopeDefinition {
  return {
    name: row.name,
    description: row.description,
    oauthScope: row.oauthScope,
    audience: row.audience,
    defaultDurationSec: row.defaultDurationSec,
    maxDurationSec: row.maxDurationSec,
    pendingTtlSec: row.pendingTtlSec,
    approvalsRequired: row.approvalsRequired,
    approvers: row.approvers,
    requesters: row.requesters,
    reasonPattern: row.reasonPattern,
    // Defaults first, so a policy stored before a new policy field existed reads as "off".
    policy: { ...EMPTY_POLICY, ...(row.policy as Partial<ScopePolicy>) },
    mfa: row.mfa === null ? null : (row.mfa as unknown as MfaPolicy),
    remindAfterSec: row.remindAfterSec,
    escalation: row.escalation === null ? null : (row.escalation as unknown as ScopeEscalation),
    extend: row.extend === null ? null : (row.extend as unknown as ExtendPolicy),
    breakGlass: row.breakGlass === null ? null : (row.breakGlass as unknown as BreakGlassPolicy),
  };
}

/** Written with upsert, whose create and update halves take the same columns. */
export function scopeToRow(scope: ScopeDefinition): Prisma.ScopeCreateInput & Prisma.ScopeUpdateInput {
  return {
    name: scope.name,
    description: scope.description,
    oauthScope: scope.oauthScope,
    audience: scope.audience,
    defaultDurationSec: scope.defaultDurationSec,
    maxDurationSec: scope.maxDurationSec,
    pendingTtlSec: scope.pendingTtlSec,
    approvalsRequired: scope.approvalsRequired,
    approvers: [...scope.approvers],
    requesters: [...scope.requesters],
    reasonPattern: scope.reasonPattern,
    policy: { ...scope.policy } as Prisma.JsonObject,
    mfa: scope.mfa === null ? Prisma.DbNull : ({ ...scope.mfa } as unknown as Prisma.JsonObject),
    remindAfterSec: scope.remindAfterSec,
    escalation: scope.escalation === null ? Prisma.DbNull : (JSON.parse(JSON.stringify(scope.escalation)) as Prisma.JsonObject),
    extend: scope.extend === null ? Prisma.DbNull : ({ ...scope.extend } as unknown as Prisma.JsonObject),
    breakGlass: scope.breakGlass === null ? Prisma.DbNull : ({ ...scope.breakGlass, broadcast: scope.breakGlass.broadcast.map((c) => ({ ...c })) } as unknown as Prisma.JsonObject),
  };
}

export function principalFromRow(row: Rows.Principal): Principal {
  return { id: row.id, displayName: row.displayName, email: row.email, kind: row.kind, isAdmin: row.isAdmin, isAuditor: row.isAuditor, lastSeenAt: row.lastSeenAt, createdAt: row.createdAt };
}

export function principalToRow(principal: Principal): Rows.Principal {
  return principalFromRow(principal as Rows.Principal);
}

export function identityFromRow(row: Rows.ChatIdentity): ChatIdentity {
  return { platform: row.platform, userId: row.userId, principalId: row.principalId };
}

export function identityToRow(identity: ChatIdentity): Rows.ChatIdentity {
  return { platform: identity.platform, userId: identity.userId, principalId: identity.principalId };
}

export function mappingFromRow(row: Rows.ChannelMapping): ChannelMapping {
  return { platform: row.platform, channelId: row.channelId, scopeName: row.scopeName };
}

export function mappingToRow(mapping: ChannelMapping): Rows.ChannelMapping {
  return { platform: mapping.platform, channelId: mapping.channelId, scopeName: mapping.scopeName };
}

export function requestFromRow(row: Rows.ElevationRequest): ElevationRequest {
  return {
    id: row.id,
    scopeName: row.scopeName,
    requesterId: row.requesterId,
    durationSec: row.durationSec,
    reason: row.reason,
    source: row.source,
    status: row.status,
    approvalsRequired: row.approvalsRequired,
    createdAt: row.createdAt,
    pendingUntil: row.pendingUntil,
    decidedAt: row.decidedAt,
    decisionNote: row.decisionNote,
    requesterAuthentication: requesterAuthenticationFromJson(row.requesterAuthentication),
    remindedAt: row.remindedAt,
    escalatedAt: row.escalatedAt,
    requesterLastSeenAt: row.requesterLastSeenAt,
    extendsGrantId: row.extendsGrantId,
    breakGlass:
      row.breakGlassDueAt === null
        ? null
        : {
            dueAt: row.breakGlassDueAt,
            remindedAt: row.breakGlassRemindedAt,
            reviewedAt: row.breakGlassReviewedAt,
            reviewedBy: row.breakGlassReviewedBy,
            verdict: row.breakGlassVerdict as BreakGlassVerdict | null,
            note: row.breakGlassNote,
          },
  };
}

/** A break-glass review as its columns (all null for any other request). */
function breakGlassToColumns(review: BreakGlassReview | null) {
  return {
    breakGlassDueAt: review?.dueAt ?? null,
    breakGlassRemindedAt: review?.remindedAt ?? null,
    breakGlassReviewedAt: review?.reviewedAt ?? null,
    breakGlassReviewedBy: review?.reviewedBy ?? null,
    breakGlassVerdict: review?.verdict ?? null,
    breakGlassNote: review?.note ?? null,
  };
}

export function requestToRow(request: ElevationRequest): Prisma.ElevationRequestUncheckedCreateInput {
  const { requesterAuthentication, breakGlass, ...plain } = request;
  return { ...plain, requesterAuthentication: requesterAuthenticationToJson(requesterAuthentication), ...breakGlassToColumns(breakGlass) };
}

/** Stored as JSON with ISO times: `{ subject, acr, amr, authTime, verifiedAt }`. */
function requesterAuthenticationToJson(value: RequesterAuthentication | null): Prisma.InputJsonObject | typeof Prisma.DbNull {
  if (value === null) return Prisma.DbNull;
  return { subject: value.subject, acr: value.acr, amr: [...value.amr], authTime: value.authTime.toISOString(), verifiedAt: value.verifiedAt.toISOString() };
}

function requesterAuthenticationFromJson(value: unknown): RequesterAuthentication | null {
  if (value === null || typeof value !== 'object') return null;
  const json = value as { subject: string; acr: string | null; amr: string[]; authTime: string; verifiedAt: string };
  return { subject: json.subject, acr: json.acr, amr: [...json.amr], authTime: new Date(json.authTime), verifiedAt: new Date(json.verifiedAt) };
}

export function stepUpTicketFromRow(row: Rows.StepUpTicket): StepUpTicket {
  return { ...row, purpose: row.purpose as StepUpPurpose };
}

export function webSessionFromRow(row: Rows.WebSession): WebSession {
  return {
    idHash: row.idHash,
    principalId: row.principalId,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    expiresAt: row.expiresAt,
    endedAt: row.endedAt,
    evidence: { subject: row.subject, acr: row.acr, amr: [...row.amr], authTime: row.authTime },
  };
}

export function webSessionEvidenceToRow(evidence: AuthenticationEvidence): Pick<Rows.WebSession, 'subject' | 'acr' | 'amr' | 'authTime'> {
  return { subject: evidence.subject, acr: evidence.acr, amr: [...evidence.amr], authTime: evidence.authTime };
}

export function authenticationFromRow(row: Rows.PrincipalAuthentication): AuthenticationEvidence {
  return { subject: row.subject, acr: row.acr, amr: [...row.amr], authTime: row.authTime };
}

/** Only the fields a patch may change are copied; `undefined` leaves a column alone. */
export function requestPatchToRow(patch: Partial<Omit<ElevationRequest, 'id'>>): Prisma.ElevationRequestUpdateManyMutationInput {
  return {
    scopeName: patch.scopeName,
    requesterId: patch.requesterId,
    durationSec: patch.durationSec,
    reason: patch.reason,
    source: patch.source,
    status: patch.status,
    approvalsRequired: patch.approvalsRequired,
    createdAt: patch.createdAt,
    pendingUntil: patch.pendingUntil,
    decidedAt: patch.decidedAt,
    decisionNote: patch.decisionNote,
    requesterAuthentication: patch.requesterAuthentication === undefined ? undefined : requesterAuthenticationToJson(patch.requesterAuthentication),
    remindedAt: patch.remindedAt,
    escalatedAt: patch.escalatedAt,
    requesterLastSeenAt: patch.requesterLastSeenAt,
    extendsGrantId: patch.extendsGrantId,
    ...(patch.breakGlass === undefined ? {} : breakGlassToColumns(patch.breakGlass)),
  };
}

export function reviewFromRow(row: Rows.Review): Review {
  return { requestId: row.requestId, approverId: row.approverId, decision: row.decision, comment: row.comment, createdAt: row.createdAt };
}

export function reviewToRow(review: Review): Rows.Review {
  return reviewFromRow(review as Rows.Review);
}

export function postedMessageFromRow(row: Rows.PostedMessage): PostedMessage {
  return { requestId: row.requestId, platform: row.platform, channelId: row.channelId, messageId: row.messageId, postedAt: row.postedAt };
}

export function postedMessageToRow(message: PostedMessage): Rows.PostedMessage {
  return postedMessageFromRow(message as Rows.PostedMessage);
}

export function conversationFromRow(row: Rows.ConversationReference): ConversationReferenceRecord {
  return { platform: row.platform, kind: row.kind, key: row.key, reference: row.reference as Record<string, unknown>, updatedAt: row.updatedAt };
}

export function conversationToRow(record: ConversationReferenceRecord): Prisma.ConversationReferenceCreateInput {
  return { platform: record.platform, kind: record.kind, key: record.key, reference: record.reference as Prisma.InputJsonObject, updatedAt: record.updatedAt };
}

export function grantFromRow(row: Rows.Grant): Grant {
  return {
    id: row.id,
    requestId: row.requestId,
    status: row.status,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    asExpiresAt: row.asExpiresAt,
    issuedAt: row.issuedAt,
    tokenSealed: row.tokenSealed,
    tokenType: row.tokenType,
    endReason: row.endReason,
    revokedAt: row.revokedAt,
    revocationLagMs: row.revocationLagMs === null ? null : Number(row.revocationLagMs),
    revokeAttempts: row.revokeAttempts,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError,
  };
}

export function grantToRow(grant: Grant): Rows.Grant {
  return { ...grantPatchToRow(grant), id: grant.id, requestId: grant.requestId } as Rows.Grant;
}

/** Only the fields a patch may change are copied (never `id` or `requestId`). */
export function grantPatchToRow(patch: Partial<Omit<Grant, 'id' | 'requestId'>>): Prisma.GrantUpdateManyMutationInput {
  return {
    status: patch.status,
    startsAt: patch.startsAt,
    endsAt: patch.endsAt,
    asExpiresAt: patch.asExpiresAt,
    issuedAt: patch.issuedAt,
    tokenSealed: patch.tokenSealed,
    tokenType: patch.tokenType,
    endReason: patch.endReason,
    revokedAt: patch.revokedAt,
    revocationLagMs: patch.revocationLagMs === undefined || patch.revocationLagMs === null ? patch.revocationLagMs : BigInt(Math.round(patch.revocationLagMs)),
    revokeAttempts: patch.revokeAttempts,
    nextAttemptAt: patch.nextAttemptAt,
    lastError: patch.lastError,
  };
}

export function auditFromRow(row: Rows.AuditRecord): AuditRecord {
  return {
    seq: Number(row.seq),
    at: row.at,
    type: row.type as AuditRecord['type'],
    actor: row.actor,
    requestId: row.requestId,
    grantId: row.grantId,
    data: row.data as Record<string, unknown>,
    prevHash: row.prevHash,
    keyId: row.keyId,
    hash: row.hash,
  };
}
