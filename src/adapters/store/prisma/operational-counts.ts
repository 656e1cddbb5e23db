import type { OperationalCounts } from '../../../ports/store.ts';
import type { Db } from './prisma-reader.ts';

/**
 * Two aggregate statements, each answered off the `(status, ends_at, id)` index of `grants`: live
 * grants per scope (joined to their request for the scope's name), and the revocations still
 * owed with how many of them are overdue. A scrape every few seconds from every instance costs
 * the database two index range scans, never a read of whole rows.
 */
export async function readOperationalCounts(db: Db, input: { now: Date; overdueBefore: Date }): Promise<OperationalCounts> {
  const active = await db.$queryRaw<{ scopeName: string; count: bigint }[]>`
    SELECT r.scope_name AS "scopeName", count(*) AS count
    FROM grants g JOIN elevation_requests r ON r.id = g.request_id
    WHERE g.status = 'active' AND g.ends_at > ${input.now}
    GROUP BY r.scope_name
    ORDER BY r.scope_name`;
  const [owed] = await db.$queryRaw<{ pending: bigint; overdue: bigint }[]>`
    SELECT count(*) AS pending, count(*) FILTER (WHERE ends_at <= ${input.overdueBefore}) AS overdue
    FROM grants
    WHERE status = 'revoking' OR (status = 'active' AND ends_at <= ${input.now})`;
  return {
    activeGrants: active.map((row) => ({ scopeName: row.scopeName, count: Number(row.count) })),
    revocationsPending: Number(owed?.pending ?? 0),
    revocationsOverdue: Number(owed?.overdue ?? 0),
  };
}
