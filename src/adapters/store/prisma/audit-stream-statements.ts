import type { AuditStreamLag, AuditStreamState } from '../../../domain/audit-stream.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { AUDIT_HEAD_ID } from './audit-head.ts';

interface StreamRow {
  name: string;
  cursor_seq: bigint;
  holder: string | null;
  lease_until: Date | null;
  attempts: number;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
}

function fromRow(row: StreamRow): AuditStreamState {
  return {
    name: row.name,
    cursorSeq: Number(row.cursor_seq),
    holder: row.holder,
    leaseUntil: row.lease_until,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    deliveredAt: row.delivered_at,
  };
}

/**
 * One statement takes, renews or refuses the lease. The INSERT creates the row on first use;
 * on conflict the UPDATE applies only when the lease is free, expired or already the caller's.
 * Two instances racing for it are serialised on the row: the second re-evaluates the condition
 * against what the first committed, and gets no row back.
 */
export async function leaseStream(db: Prisma.TransactionClient, input: { name: string; holder: string; now: Date; leaseUntil: Date }): Promise<AuditStreamState | null> {
  const rows = await db.$queryRaw<StreamRow[]>`
    INSERT INTO audit_stream_cursors AS s (name, cursor_seq, holder, lease_until, attempts)
    VALUES (${input.name}, 0, ${input.holder}, ${input.leaseUntil}::timestamptz, 0)
    ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, lease_until = EXCLUDED.lease_until
    WHERE s.holder = EXCLUDED.holder OR s.lease_until IS NULL OR s.lease_until <= ${input.now}::timestamptz
    RETURNING s.name, s.cursor_seq, s.holder, s.lease_until, s.attempts, s.next_attempt_at, s.delivered_at`;
  return rows[0] ? fromRow(rows[0]) : null;
}

export async function advanceStream(db: Prisma.TransactionClient, input: { name: string; holder: string; fromSeq: number; toSeq: number; deliveredAt: Date }): Promise<boolean> {
  const changed = await db.$executeRaw`
    UPDATE audit_stream_cursors
    SET cursor_seq = ${BigInt(input.toSeq)}, attempts = 0, next_attempt_at = NULL, delivered_at = ${input.deliveredAt}::timestamptz
    WHERE name = ${input.name} AND holder = ${input.holder} AND cursor_seq = ${BigInt(input.fromSeq)}`;
  return changed === 1;
}

export async function deferStream(db: Prisma.TransactionClient, input: { name: string; holder: string; attempts: number; nextAttemptAt: Date }): Promise<boolean> {
  const changed = await db.$executeRaw`
    UPDATE audit_stream_cursors SET attempts = ${input.attempts}, next_attempt_at = ${input.nextAttemptAt}::timestamptz
    WHERE name = ${input.name} AND holder = ${input.holder}`;
  return changed === 1;
}

export async function releaseStream(db: Prisma.TransactionClient, input: { name: string; holder: string; now: Date }): Promise<boolean> {
  const changed = await db.$executeRaw`
    UPDATE audit_stream_cursors SET lease_until = ${input.now}::timestamptz WHERE name = ${input.name} AND holder = ${input.holder}`;
  return changed === 1;
}

export async function readStream(db: Prisma.TransactionClient, name: string): Promise<AuditStreamState | null> {
  const rows = await db.$queryRaw<StreamRow[]>`
    SELECT name, cursor_seq, holder, lease_until, attempts, next_attempt_at, delivered_at FROM audit_stream_cursors WHERE name = ${name}`;
  return rows[0] ? fromRow(rows[0]) : null;
}

/** Two primary-key reads: the cursor and the head, then the time of the record after the cursor. */
export async function readStreamLag(db: Prisma.TransactionClient, name: string): Promise<AuditStreamLag> {
  const rows = await db.$queryRaw<{ cursor_seq: bigint; head_seq: bigint; oldest_at: Date | null }[]>`
    WITH c AS (SELECT COALESCE((SELECT cursor_seq FROM audit_stream_cursors WHERE name = ${name}), 0) AS cursor_seq),
         h AS (SELECT COALESCE((SELECT seq FROM audit_head WHERE id = ${AUDIT_HEAD_ID}), 0) AS head_seq)
    SELECT c.cursor_seq, h.head_seq,
           (SELECT at FROM audit_records WHERE seq = c.cursor_seq + 1 AND c.cursor_seq < h.head_seq) AS oldest_at
    FROM c, h`;
  const row = rows[0]!;
  const cursorSeq = Number(row.cursor_seq);
  const headSeq = Number(row.head_seq);
  return { cursorSeq, headSeq, behind: Math.max(0, headSeq - cursorSeq), oldestUnsentAt: row.oldest_at };
}
