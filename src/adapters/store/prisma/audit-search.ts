import type { AuditRecord } from '../../../domain/audit.ts';
import type * as Rows from '../../../generated/prisma/client.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { AuditSearch, RevocationLagBucket } from '../../../ports/store.ts';
import { auditFromRow } from './mapping.ts';
import type { Db } from './prisma-reader.ts';

/**
 * The dashboard's audit search in one statement: the records joined to their request (for its
 * requester and scope), filtered, read off the primary key in `seq` order and cut at `limit`. A
 * search for recent records stops after a page of them; a rare person or scope costs one pass
 * over the table inside the database, never a transfer of the trail. Same rules as the in-memory
 * store's `matchesAuditSearch` (see the `AuditSearch` port type).
 */
export async function searchAudit(db: Db, search: AuditSearch, order: 'newest_first' | 'oldest_first', limit: number): Promise<AuditRecord[]> {
  const conditions: Prisma.Sql[] = [];
  if (search.type !== undefined) conditions.push(Prisma.sql`a.type = ${search.type}`);
  if (search.from !== undefined) conditions.push(Prisma.sql`a.at >= ${search.from}`);
  if (search.to !== undefined) conditions.push(Prisma.sql`a.at <= ${search.to}`);
  if (search.beforeSeq !== undefined) conditions.push(Prisma.sql`a.seq < ${BigInt(Math.floor(search.beforeSeq))}`);
  if (search.afterSeq !== undefined) conditions.push(Prisma.sql`a.seq > ${BigInt(Math.floor(search.afterSeq))}`);
  if (search.person !== undefined) {
    const person = search.person;
    conditions.push(Prisma.sql`(a.actor = ${person} OR r.requester_id = ${person}
      OR (a.type IN ('admin.principal_changed', 'admin.principal_removed') AND a.data->>'key' = ${person})
      OR (a.type IN ('identity.linked', 'identity.unlinked') AND a.data->'value'->>'principalId' = ${person}))`);
  }
  if (search.scopeName !== undefined) {
    const scope = search.scopeName;
    conditions.push(Prisma.sql`(r.scope_name = ${scope}
      OR (a.type IN ('admin.scope_changed', 'admin.scope_removed') AND a.data->>'key' = ${scope})
      OR (a.type IN ('admin.mapping_added', 'admin.mapping_removed') AND a.data->'value'->>'scopeName' = ${scope}))`);
  }
  const where = conditions.length === 0 ? Prisma.empty : Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}`;
  const direction = order === 'newest_first' ? Prisma.raw('DESC') : Prisma.raw('ASC');
  const rows = await db.$queryRaw<Rows.AuditRecord[]>`
    SELECT a.seq, a.at, a.type, a.actor, a.request_id AS "requestId", a.grant_id AS "grantId", a.data,
           a.prev_hash AS "prevHash", a.key_id AS "keyId", a.hash
    FROM audit_records a LEFT JOIN elevation_requests r ON r.id = a.request_id
    ${where}
    ORDER BY a.seq ${direction}
    LIMIT ${Math.max(0, Math.floor(limit))}`;
  return rows.map(auditFromRow);
}

/**
 * The revocation-lag chart's figures, aggregated in the database per interval: a day of
 * revocations stays a day of rows there, and 24 or 48 rows come back. `percentile_disc` gives
 * nearest-rank percentiles, which the in-memory store computes the same way.
 */
export async function readRevocationLagBuckets(db: Db, input: { from: Date; to: Date; bucketSec: number }): Promise<RevocationLagBucket[]> {
  const rows = await db.$queryRaw<{ bucket: number; count: bigint; p50: bigint; p99: bigint }[]>`
    SELECT floor(extract(epoch FROM (revoked_at - ${input.from}::timestamptz)) * 1000 / ${input.bucketSec * 1000})::int AS bucket,
           count(*) AS count,
           percentile_disc(0.5) WITHIN GROUP (ORDER BY revocation_lag_ms) AS p50,
           percentile_disc(0.99) WITHIN GROUP (ORDER BY revocation_lag_ms) AS p99
    FROM grants
    WHERE status = 'revoked' AND end_reason = 'expired' AND revocation_lag_ms IS NOT NULL
      AND revoked_at >= ${input.from} AND revoked_at < ${input.to}
    GROUP BY bucket
    ORDER BY bucket`;
  return rows.map((row) => ({
    start: new Date(input.from.getTime() + Number(row.bucket) * input.bucketSec * 1000),
    count: Number(row.count),
    p50Ms: Number(row.p50),
    p99Ms: Number(row.p99),
  }));
}
