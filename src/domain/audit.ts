import { createHash } from 'node:crypto';

/** Every event Elevate records. The list is closed: a new kind of event is a code change. */
export const AUDIT_EVENT_TYPES = [
  'request.created',
  'request.auto_approved',
  'request.auto_denied',
  'request.approved',
  'request.denied',
  'request.expired',
  'request.cancelled',
  'review.recorded',
  'grant.issuing',
  'grant.issued',
  'grant.issue_failed',
  'grant.delivered',
  'grant.revoking',
  'grant.revoked',
  'message.posted',
  'identity.linked',
  'identity.unlinked',
  'admin.scope_changed',
  'admin.scope_removed',
  'admin.principal_changed',
  'admin.principal_removed',
  'admin.mapping_added',
  'admin.mapping_removed',
  'admin.config_applied',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** What a use case hands to the store; the store assigns the sequence number and the chain. */
export interface AuditEventInput {
  type: AuditEventType;
  /** Principal id, `system`, `policy`, `config:<file>` … who caused the event. */
  actor: string;
  requestId?: string | null;
  grantId?: string | null;
  /** Non-secret facts. Never a token, a secret or key material. */
  data?: Record<string, unknown>;
}

export interface AuditRecord {
  seq: number;
  at: Date;
  type: AuditEventType;
  actor: string;
  requestId: string | null;
  grantId: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * A record as plain JSON values (the time as ISO 8601): what the hash covers and what the
 * JSON-lines export writes, so an outside verifier can recompute the hash from an exported line.
 */
export function auditRecordJson(record: Omit<AuditRecord, 'hash'> & { hash?: string }): Record<string, unknown> {
  return {
    seq: record.seq,
    at: record.at.toISOString(),
    type: record.type,
    actor: record.actor,
    requestId: record.requestId,
    grantId: record.grantId,
    data: record.data,
    prevHash: record.prevHash,
    ...(record.hash === undefined ? {} : { hash: record.hash }),
  };
}

/** The hash of a record: SHA-256 over the previous hash and the canonical form of every field. */
export function hashAuditRecord(record: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(record.prevHash).update('\n').update(canonicalRecordJson(record)).digest('hex');
}

/**
 * `canonicalJson(auditRecordJson(record))` without the hash, written out with the keys already in
 * canonical order: every revocation appends two records, and sorting the same eight keys for
 * each one was most of what the chain cost.
 */
export function canonicalRecordJson(record: Omit<AuditRecord, 'hash'>): string {
  const text = JSON.stringify;
  return `{"actor":${text(record.actor)},"at":${text(record.at.toISOString())},"data":${canonicalJson(record.data)},"grantId":${text(record.grantId)},"prevHash":${text(record.prevHash)},"requestId":${text(record.requestId)},"seq":${text(record.seq)},"type":${text(record.type)}}`;
}

/** Builds the next record of the chain from the current head (null for an empty trail). */
export function chainAuditRecord(
  head: { seq: number; hash: string } | null,
  event: AuditEventInput,
  at: Date,
): AuditRecord {
  const unsigned = {
    seq: (head?.seq ?? 0) + 1,
    at,
    type: event.type,
    actor: event.actor,
    requestId: event.requestId ?? null,
    grantId: event.grantId ?? null,
    data: JSON.parse(canonicalJson(event.data ?? {})) as Record<string, unknown>,
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  return { ...unsigned, hash: hashAuditRecord(unsigned) };
}

export type AuditVerification =
  | { ok: true; records: number; headSeq: number }
  | { ok: false; records: number; brokenAtSeq: number; problem: string };

/**
 * Walks records in sequence order and reports the first one that does not follow from the one
 * before it: an edited row fails its own hash, a deleted row leaves a gap in `seq` or a
 * `prevHash` that points nowhere. `head` is the last link the store recorded separately, which
 * catches deletion of the newest rows.
 */
export class AuditChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private count = 0;
  private failure: { brokenAtSeq: number; problem: string } | null = null;

  push(record: AuditRecord): boolean {
    if (this.failure) return false;
    this.count += 1;
    if (record.seq !== this.expectedSeq) {
      return this.fail(this.expectedSeq, `record ${this.expectedSeq} is missing (next present is ${record.seq})`);
    }
    if (record.prevHash !== this.prevHash) {
      return this.fail(record.seq, `record ${record.seq} does not point at the hash of record ${record.seq - 1}`);
    }
    if (hashAuditRecord(record) !== record.hash) {
      return this.fail(record.seq, `record ${record.seq} was altered: its content does not match its hash`);
    }
    this.expectedSeq += 1;
    this.prevHash = record.hash;
    return true;
  }

  finish(head: { seq: number; hash: string } | null): AuditVerification {
    if (!this.failure && head && (head.seq !== this.expectedSeq - 1 || head.hash !== this.prevHash)) {
      this.fail(this.expectedSeq, `the trail ends at record ${this.expectedSeq - 1} but the recorded head is record ${head.seq}`);
    }
    if (this.failure) return { ok: false, records: this.count, ...this.failure };
    return { ok: true, records: this.count, headSeq: this.expectedSeq - 1 };
  }

  private fail(brokenAtSeq: number, problem: string): false {
    this.failure = { brokenAtSeq, problem };
    return false;
  }
}
