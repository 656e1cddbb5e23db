import { chainAuditRecord, GENESIS_HASH, type AuditEventInput, type AuditKey, type AuditRecord } from '../../../domain/audit.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';

/** The id of the single `audit_head` row. */
export const AUDIT_HEAD_ID = 1;

/**
 * Appends records to the chain, in order, inside the caller's transaction.
 *
 * Every appender first locks the `audit_head` row (`SELECT … FOR UPDATE`), so appends are
 * serialised across transactions, connections and instances: each sees the head the previous
 * one committed, and the chain can neither fork nor skip a number. The lock is held until the
 * caller's transaction ends, so a use case takes its row locks (`lockRequest`, `lockGrant`,
 * `claimDueGrants`) before its first append: with the head always locked last, no two
 * transactions can wait for each other in opposite orders.
 */
export async function appendAuditRecords(
  tx: Prisma.TransactionClient,
  events: readonly AuditEventInput[],
  at: Date,
  key: AuditKey | null,
): Promise<AuditRecord[]> {
  const head = await lockHead(tx);
  const records: AuditRecord[] = [];
  let previous = head.seq === 0 ? null : head;
  for (const event of events) {
    const record = chainAuditRecord(previous, event, at, key);
    records.push(record);
    previous = record;
  }
  await insertAndAdvance(tx, records);
  return records;
}

/**
 * The records and the head's move to the last of them, in one statement (a data-modifying WITH):
 * one round trip fewer for every append. One INSERT for the whole batch, each column passed as
 * one array: Prisma's `createMany` plans every batch afresh at a cost of milliseconds per row,
 * which made a sweeper's audit trail slower than the revocations it records; this statement's
 * shape never changes.
 */
async function insertAndAdvance(tx: Prisma.TransactionClient, records: readonly AuditRecord[]): Promise<void> {
  const column = <T>(pick: (record: AuditRecord) => T) => records.map(pick);
  const last = records[records.length - 1]!;
  await tx.$executeRaw`
    WITH appended AS (
      INSERT INTO audit_records (seq, at, type, actor, request_id, grant_id, data, prev_hash, key_id, hash)
      SELECT seq::bigint, at::timestamptz, type, actor, request_id, grant_id, data::jsonb, prev_hash, key_id, hash
      FROM unnest(
        ${column((r) => String(r.seq))}::text[], ${column((r) => r.at.toISOString())}::text[],
        ${column((r) => r.type)}::text[], ${column((r) => r.actor)}::text[],
        ${column((r) => r.requestId)}::text[], ${column((r) => r.grantId)}::text[],
        ${column((r) => JSON.stringify(r.data))}::text[], ${column((r) => r.prevHash)}::text[],
        ${column((r) => r.keyId)}::text[], ${column((r) => r.hash)}::text[]
      ) AS batch(seq, at, type, actor, request_id, grant_id, data, prev_hash, key_id, hash)
    )
    UPDATE audit_head SET seq = ${BigInt(last.seq)}, hash = ${last.hash} WHERE id = ${AUDIT_HEAD_ID}`;
}

async function lockHead(tx: Prisma.TransactionClient): Promise<{ seq: number; hash: string }> {
  const locked = await selectHeadForUpdate(tx);
  if (locked) return locked;
  // First append ever. Two first appenders may both get here: ON CONFLICT makes the second wait
  // for the first's row and then do nothing, and its SELECT then locks the committed row.
  await tx.$executeRaw`INSERT INTO audit_head (id, seq, hash) VALUES (${AUDIT_HEAD_ID}, 0, ${GENESIS_HASH}) ON CONFLICT (id) DO NOTHING`;
  const created = await selectHeadForUpdate(tx);
  if (!created) throw new Error('audit_head row missing right after it was created');
  return created;
}

async function selectHeadForUpdate(tx: Prisma.TransactionClient): Promise<{ seq: number; hash: string } | undefined> {
  const rows = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`SELECT seq, hash FROM audit_head WHERE id = ${AUDIT_HEAD_ID} FOR UPDATE`;
  const row = rows[0];
  return row && { seq: Number(row.seq), hash: row.hash };
}
