import { createHash, createHmac } from 'node:crypto';

/** Every event Elevate records. The list is closed: a new kind of event is a code change. */
export const AUDIT_EVENT_TYPES = [
  'request.created',
  'request.auto_approved',
  'request.auto_denied',
  'request.approved',
  'request.denied',
  'request.expired',
  'request.cancelled',
  'request.verification_required',
  'request.verified',
  'request.reminded',
  'request.escalated',
  'step_up.link_issued',
  'step_up.started',
  'step_up.refused',
  'web.signed_in',
  'web.reauthenticated',
  'web.signed_out',
  'review.recorded',
  'break_glass.granted',
  'break_glass.acknowledged',
  'break_glass.flagged',
  'break_glass.reminded',
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
  'audit.key_in_use',
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
  /**
   * The id of the key the record was chained with (HMAC-SHA256), or null for a record chained
   * with plain SHA-256 before a key was configured.
   */
  keyId: string | null;
  hash: string;
}

/**
 * A key of the audit chain. It is kept outside the database (ELEVATE_AUDIT_KEY), so someone who
 * can write the database cannot recompute the chain after editing it. The id is derived from
 * the secret, so records can name their key without the secret ever being stored.
 */
export interface AuditKey {
  id: string;
  secret: Buffer;
}

export function auditKeyFromSecret(secret: Buffer): AuditKey {
  return { id: createHmac('sha256', secret).update('elevate audit key id').digest('hex').slice(0, 16), secret };
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
    ...(record.keyId === null ? {} : { keyId: record.keyId }),
    ...(record.hash === undefined ? {} : { hash: record.hash }),
  };
}

/**
 * The hash of a record over the previous hash and the canonical form of every field: HMAC-SHA256
 * under the record's key, or plain SHA-256 for a record chained before keys (`keyId` null; its
 * canonical form has no `keyId`, so records written then still verify). Null when the record
 * names a key that is not given.
 */
export function hashAuditRecord(record: Omit<AuditRecord, 'hash'>, keys: readonly AuditKey[] = []): string | null {
  if (record.keyId === null) return createHash('sha256').update(record.prevHash).update('\n').update(canonicalRecordJson(record)).digest('hex');
  const key = keys.find((k) => k.id === record.keyId);
  if (!key) return null;
  return createHmac('sha256', key.secret).update(record.prevHash).update('\n').update(canonicalRecordJson(record)).digest('hex');
}

/**
 * `canonicalJson(auditRecordJson(record))` without the hash, written out with the keys already in
 * canonical order: every revocation appends two records, and sorting the same eight keys for
 * each one was most of what the chain cost.
 */
export function canonicalRecordJson(record: Omit<AuditRecord, 'hash'>): string {
  const text = JSON.stringify;
  const keyId = record.keyId === null ? '' : `"keyId":${text(record.keyId)},`;
  return `{"actor":${text(record.actor)},"at":${text(record.at.toISOString())},"data":${canonicalJson(record.data)},"grantId":${text(record.grantId)},${keyId}"prevHash":${text(record.prevHash)},"requestId":${text(record.requestId)},"seq":${text(record.seq)},"type":${text(record.type)}}`;
}

/**
 * Builds the next record of the chain from the current head (null for an empty trail), keyed
 * with `key` (null: plain SHA-256, for stores opened without a key, e.g. unit tests).
 */
export function chainAuditRecord(
  head: { seq: number; hash: string } | null,
  event: AuditEventInput,
  at: Date,
  key: AuditKey | null = null,
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
    keyId: key?.id ?? null,
  };
  return { ...unsigned, hash: hashAuditRecord(unsigned, key ? [key] : [])! };
}

export type AuditVerification =
  | { ok: true; records: number; headSeq: number }
  | { ok: false; records: number; brokenAtSeq: number; problem: string };

/**
 * Walks records in sequence order and reports the first one that does not follow from the one
 * before it: an edited row fails its own hash, a deleted row leaves a gap in `seq` or a
 * `prevHash` that points nowhere. `head` is the last link the store recorded separately, which
 * catches deletion of the newest rows by someone who did not also move the head.
 *
 * With `keys` (the configured audit keys, newest first), a record chained with a key must match
 * its HMAC under that key, and once one record is keyed every later one must be too: someone
 * who can write the database but not read the key can neither recompute a keyed record nor
 * swap keyed records for plain SHA-256 ones. Records from before the key (plain SHA-256) are
 * covered by the first keyed record, whose HMAC includes the hash of the plain record before it.
 * A trail with records but no keyed one fails when keys are given: it was either rewritten in
 * plain SHA-256 or has not had an event since the key was configured (see the README).
 */
export class AuditChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private count = 0;
  private firstKeyedSeq: number | null = null;
  private failure: { brokenAtSeq: number; problem: string } | null = null;

  constructor(private readonly keys: readonly AuditKey[] = []) {}

  push(record: AuditRecord): boolean {
    if (this.failure) return false;
    this.count += 1;
    if (record.seq !== this.expectedSeq) {
      return this.fail(this.expectedSeq, `record ${this.expectedSeq} is missing (next present is ${record.seq})`);
    }
    if (record.prevHash !== this.prevHash) {
      return this.fail(record.seq, `record ${record.seq} does not point at the hash of record ${record.seq - 1}`);
    }
    if (record.keyId === null && this.firstKeyedSeq !== null) {
      return this.fail(record.seq, `record ${record.seq} is hashed without a key although record ${this.firstKeyedSeq} before it was keyed: it was rewritten`);
    }
    const expected = hashAuditRecord(record, this.keys);
    if (expected === null) {
      return this.fail(record.seq, `record ${record.seq} was chained with audit key ${record.keyId}, which is not configured (keep retired keys in ELEVATE_AUDIT_KEY to verify old records)`);
    }
    if (expected !== record.hash) {
      return this.fail(record.seq, `record ${record.seq} was altered: its content does not match its hash`);
    }
    if (record.keyId !== null) this.firstKeyedSeq ??= record.seq;
    this.expectedSeq += 1;
    this.prevHash = record.hash;
    return true;
  }

  finish(head: { seq: number; hash: string } | null): AuditVerification {
    if (!this.failure && head && (head.seq !== this.expectedSeq - 1 || head.hash !== this.prevHash)) {
      this.fail(this.expectedSeq, `the trail ends at record ${this.expectedSeq - 1} but the recorded head is record ${head.seq}`);
    }
    if (!this.failure && this.keys.length > 0 && this.count > 0 && this.firstKeyedSeq === null) {
      this.fail(1, `none of the ${this.count} record(s) is keyed with an audit key: the trail was rewritten with plain hashes, or nothing was recorded since ELEVATE_AUDIT_KEY was set`);
    }
    if (this.failure) return { ok: false, records: this.count, ...this.failure };
    return { ok: true, records: this.count, headSeq: this.expectedSeq - 1 };
  }

  private fail(brokenAtSeq: number, problem: string): false {
    this.failure = { brokenAtSeq, problem };
    return false;
  }
}
