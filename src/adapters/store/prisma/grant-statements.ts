import type { Grant } from '../../../domain/grant.ts';
import type * as Rows from '../../../generated/prisma/client.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { ClaimedGrants } from '../../../ports/due-grants.ts';
import type { ConfirmedRevocation } from '../../../ports/store.ts';
import * as map from './mapping.ts';
import { GRANT_COLUMNS } from './row-columns.ts';
import type { Db } from './prisma-reader.ts';

/**
 * The sweeper's batch statements on `grants`, written as SQL. Prisma's query compiler builds a
 * new plan for every batch whose size differs and spends milliseconds per row doing it, which
 * made the database side several times slower than the revocations it records. These
 * statements take arrays as single parameters, so their shape never changes with the batch.
 */

/**
 * Claims due grants in two statements, each locking its rows (skipping rows another transaction
 * holds: another sweeper's work) and leasing them in the same `UPDATE`: revocations due a retry
 * first, then active grants past their end, which become `revoking`. The rows are picked by id in
 * a subquery, so only narrow rows are ever ordered.
 *
 * Sorting is switched off for the claim, which makes the planner read the due grants in order
 * off the `(status, ends_at, id)` index and stop at the batch's size. An embedded database never
 * gathers statistics, so its planner guesses that a handful of grants are due and sorts all of
 * them for every batch instead: at 10000 due grants that was half of each claim's time, and the
 * whole mass expiry cost time quadratic in its size.
 */
export async function claimDueGrantsForLease(db: Db, input: { now: Date; limit: number; leaseUntil: Date }): Promise<ClaimedGrants> {
  const limit = Math.max(0, input.limit);
  await db.$executeRaw`SET LOCAL enable_sort = off`;
  const retryRows = await db.$queryRaw<Rows.Grant[]>`
    UPDATE grants SET next_attempt_at = ${input.leaseUntil}
    FROM (
      SELECT id AS picked_id FROM grants
      WHERE status = 'revoking' AND next_attempt_at <= ${input.now}
      ORDER BY ends_at, id LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ) AS picked
    WHERE id = picked.picked_id
    RETURNING ${GRANT_COLUMNS}`;
  const endingRows = await db.$queryRaw<Rows.Grant[]>`
    UPDATE grants SET status = 'revoking', end_reason = 'expired', next_attempt_at = ${input.leaseUntil}
    FROM (
      SELECT id AS picked_id FROM grants
      WHERE status = 'active' AND ends_at <= ${input.now}
      ORDER BY ends_at, id LIMIT ${limit - retryRows.length}
      FOR UPDATE SKIP LOCKED
    ) AS picked
    WHERE id = picked.picked_id
    RETURNING ${GRANT_COLUMNS}`;
  await db.$executeRaw`SET LOCAL enable_sort TO DEFAULT`;
  // RETURNING keeps no order; the claim's order is oldest end first.
  const byEnd = (rows: Rows.Grant[]) => rows.map(map.grantFromRow).sort((a, b) => a.endsAt.getTime() - b.endsAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { retrying: byEnd(retryRows), ending: byEnd(endingRows) };
}

type GrantPatch = Partial<Omit<Grant, 'id' | 'requestId'>>;

/** Column and SQL type of each field a patch may set. */
const PATCH_COLUMNS: { [K in keyof Required<GrantPatch>]: { column: string; type: string } } = {
  status: { column: 'status', type: 'grant_status' },
  startsAt: { column: 'starts_at', type: 'timestamptz' },
  endsAt: { column: 'ends_at', type: 'timestamptz' },
  asExpiresAt: { column: 'as_expires_at', type: 'timestamptz' },
  issuedAt: { column: 'issued_at', type: 'timestamptz' },
  tokenSealed: { column: 'token_sealed', type: 'text' },
  tokenType: { column: 'token_type', type: 'text' },
  endReason: { column: 'end_reason', type: 'grant_end_reason' },
  revokedAt: { column: 'revoked_at', type: 'timestamptz' },
  revocationLagMs: { column: 'revocation_lag_ms', type: 'bigint' },
  revokeAttempts: { column: 'revoke_attempts', type: 'integer' },
  nextAttemptAt: { column: 'next_attempt_at', type: 'timestamptz' },
  lastError: { column: 'last_error', type: 'text' },
};

/**
 * Applies one patch to every listed grant still in `expected` status, in one statement, and
 * returns the ids it changed (a grant that moved on meanwhile is left alone and not returned).
 */
export async function updateGrantsInStatus(db: Db, ids: readonly string[], expected: Grant['status'], patch: GrantPatch): Promise<string[]> {
  const assignments = (Object.keys(PATCH_COLUMNS) as (keyof GrantPatch)[])
    .filter((field) => patch[field] !== undefined)
    .map((field) => {
      const { column, type } = PATCH_COLUMNS[field];
      return Prisma.sql`${Prisma.raw(column)} = ${sqlValue(field, patch[field])}::${Prisma.raw(type)}`;
    });
  if (assignments.length === 0) {
    const rows = await db.$queryRaw<{ id: string }[]>`SELECT id FROM grants WHERE id = ANY(${[...ids]}::text[]) AND status = ${expected}::grant_status`;
    return rows.map((row) => row.id);
  }
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE grants SET ${Prisma.join(assignments)}
    WHERE id = ANY(${[...ids]}::text[]) AND status = ${expected}::grant_status
    RETURNING id`;
  return rows.map((row) => row.id);
}

/**
 * Records confirmed revocations in one statement, each with its own confirmation time; the lag
 * is computed per row from its own end. Only grants still `revoking` change.
 */
export async function markRevokedInStatusRevoking(db: Db, revocations: readonly ConfirmedRevocation[]): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE grants AS g
    SET status = 'revoked', token_sealed = NULL, revoked_at = c.revoked_at,
        revocation_lag_ms = ROUND(EXTRACT(EPOCH FROM (c.revoked_at - g.ends_at)) * 1000)::bigint,
        next_attempt_at = NULL, last_error = NULL
    FROM (
      SELECT DISTINCT ON (id) id, revoked_at::timestamptz AS revoked_at
      FROM unnest(${revocations.map((r) => r.id)}::text[], ${revocations.map((r) => r.revokedAt.toISOString())}::text[]) AS input(id, revoked_at)
    ) AS c
    WHERE g.id = c.id AND g.status = 'revoking'
    RETURNING g.id`;
  return rows.map((row) => row.id);
}

function sqlValue(field: keyof GrantPatch, value: GrantPatch[keyof GrantPatch]): unknown {
  if (value === null) return null;
  if (field === 'revocationLagMs') return String(Math.round(value as number));
  return value;
}
