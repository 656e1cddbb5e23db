import type { AuditRecord } from '../../../domain/audit.ts';
import type { Grant } from '../../../domain/grant.ts';
import type { ElevationRequest } from '../../../domain/request.ts';
import type { AuditSearch, RevocationLagBucket } from '../../../ports/store.ts';
import { time } from './ordering.ts';

/** Config changes whose `data.key` names the principal or the scope they are about. */
const PRINCIPAL_CHANGES: readonly string[] = ['admin.principal_changed', 'admin.principal_removed'];
const SCOPE_CHANGES: readonly string[] = ['admin.scope_changed', 'admin.scope_removed'];
const IDENTITY_CHANGES: readonly string[] = ['identity.linked', 'identity.unlinked'];
const MAPPING_CHANGES: readonly string[] = ['admin.mapping_added', 'admin.mapping_removed'];

/** The in-memory twin of the Prisma store's `searchAudit` statement: the same rules, see {@link AuditSearch}. */
export function matchesAuditSearch(record: AuditRecord, search: AuditSearch, requestOf: (id: string) => ElevationRequest | undefined): boolean {
  if (search.type !== undefined && record.type !== search.type) return false;
  if (search.from !== undefined && time(record.at) < time(search.from)) return false;
  if (search.to !== undefined && time(record.at) > time(search.to)) return false;
  if (search.beforeSeq !== undefined && record.seq >= search.beforeSeq) return false;
  if (search.afterSeq !== undefined && record.seq <= search.afterSeq) return false;
  const request = record.requestId === null ? undefined : requestOf(record.requestId);
  const value = valueOf(record.data);
  if (search.person !== undefined) {
    const person = search.person;
    const about =
      record.actor === person ||
      request?.requesterId === person ||
      (PRINCIPAL_CHANGES.includes(record.type) && record.data['key'] === person) ||
      (IDENTITY_CHANGES.includes(record.type) && value?.['principalId'] === person);
    if (!about) return false;
  }
  if (search.scopeName !== undefined) {
    const scope = search.scopeName;
    const about = request?.scopeName === scope || (SCOPE_CHANGES.includes(record.type) && record.data['key'] === scope) || (MAPPING_CHANGES.includes(record.type) && value?.['scopeName'] === scope);
    if (!about) return false;
  }
  return true;
}

function valueOf(data: Record<string, unknown>): Record<string, unknown> | null {
  const value = data['value'];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** The in-memory twin of the Prisma store's revocation-lag statement (`percentile_disc`). */
export function revocationLagBuckets(grants: Iterable<Grant>, input: { from: Date; to: Date; bucketSec: number }): RevocationLagBucket[] {
  const bucketMs = input.bucketSec * 1000;
  const lags = new Map<number, number[]>();
  for (const grant of grants) {
    if (grant.status !== 'revoked' || grant.endReason !== 'expired' || grant.revokedAt === null || grant.revocationLagMs === null) continue;
    const at = time(grant.revokedAt);
    if (at < time(input.from) || at >= time(input.to)) continue;
    const index = Math.floor((at - time(input.from)) / bucketMs);
    lags.set(index, [...(lags.get(index) ?? []), grant.revocationLagMs]);
  }
  return [...lags]
    .sort(([a], [b]) => a - b)
    .map(([index, values]) => {
      const sorted = values.sort((a, b) => a - b);
      return { start: new Date(time(input.from) + index * bucketMs), count: sorted.length, p50Ms: nearestRank(sorted, 0.5), p99Ms: nearestRank(sorted, 0.99) };
    });
}

/** The smallest value whose share of the sorted values at or below it reaches `fraction`. */
function nearestRank(sorted: readonly number[], fraction: number): number {
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)]!;
}
