import { ElevateError } from '../domain/errors.ts';
import type { Grant } from '../domain/grant.ts';
import type { ElevationRequest } from '../domain/request.ts';
import type { Review } from '../domain/review.ts';
import type { OperationalCounts, RevocationLagBucket, StoreReader } from '../ports/store.ts';
import { resolveActor, type Actor } from './actor.ts';

/** At most this many grants are listed in each table; the counts above them are complete. */
export const OPERATIONS_LIST_LIMIT = 100;
export const LAG_BUCKET_SEC = 3600;
export const LAG_WINDOW_SEC = 24 * 3600;

/** A grant as the operations page shows it: ids, times and who — never its sealed token. */
export interface GrantLine {
  grant: Pick<Grant, 'id' | 'requestId' | 'status' | 'startsAt' | 'endsAt' | 'endReason' | 'revokeAttempts' | 'nextAttemptAt' | 'lastError'>;
  requesterId: string | null;
  scopeName: string | null;
  /** Who approved it and when; empty with `approvedBy` `policy` or `break_glass`. */
  approvals: { approverId: string; at: Date }[];
  approvedBy: 'reviewers' | 'policy' | 'break_glass';
  /** Revocation owed for longer than the overdue line. */
  overdue: boolean;
}

export interface OperationsOverview {
  counts: OperationalCounts;
  /** Live grants, the soonest to end first. */
  active: GrantLine[];
  /** Revocations owed: ended and not yet claimed, or claimed and not yet confirmed by the AS. */
  pending: GrantLine[];
  lag: { from: Date; to: Date; bucketSec: number; buckets: RevocationLagBucket[] };
}

/**
 * What the operations page shows an admin: the operational counts (the same figures as the
 * metrics gauges), the live grants and owed revocations behind them with who approved each, and
 * the revocation lag per hour of the last day, hours aligned to the clock (UTC) with the current
 * hour last.
 */
export async function readOperationsOverview(deps: { store: StoreReader }, actor: Actor, input: { now: Date; overdueAfterSec: number }): Promise<OperationsOverview> {
  const person = await resolveActor(deps.store, actor);
  if (!person.isAdmin) throw new ElevateError('forbidden', 'Only Elevate admins can see operations.', { details: { actor: person.id } });
  const { store } = deps;
  const { now } = input;
  const overdueBefore = new Date(now.getTime() - input.overdueAfterSec * 1000);
  const to = new Date(Math.ceil((now.getTime() + 1) / (LAG_BUCKET_SEC * 1000)) * LAG_BUCKET_SEC * 1000);
  const from = new Date(to.getTime() - LAG_WINDOW_SEC * 1000);
  const [counts, endedUnclaimed, revoking, buckets] = await Promise.all([
    store.operationalCounts({ now, overdueBefore }),
    store.listGrants({ statuses: ['active'], endsAtOrBefore: now, limit: OPERATIONS_LIST_LIMIT }),
    store.listGrants({ statuses: ['revoking'], limit: OPERATIONS_LIST_LIMIT }),
    store.revocationLagBuckets({ from, to, bucketSec: LAG_BUCKET_SEC }),
  ]);
  // Active grants come soonest end first, so those past their end (owed) come before the live ones.
  const live = (await store.listGrants({ statuses: ['active'], limit: OPERATIONS_LIST_LIMIT + endedUnclaimed.length })).filter((g) => g.endsAt > now).slice(0, OPERATIONS_LIST_LIMIT);
  const pending = [...endedUnclaimed, ...revoking].sort((a, b) => a.endsAt.getTime() - b.endsAt.getTime() || a.id.localeCompare(b.id)).slice(0, OPERATIONS_LIST_LIMIT);
  // Two reads for every listed grant together, not two per grant: the page stays fast with a hundred of each.
  const requestIds = [...new Set([...live, ...pending].map((grant) => grant.requestId))];
  const [requests, reviews] = requestIds.length === 0 ? [[], []] : await Promise.all([store.listRequests({ ids: requestIds }), store.listReviewsOf(requestIds)]);
  const requestById = new Map(requests.map((request) => [request.id, request]));
  const line = (grant: Grant) => grantLine(grant, requestById.get(grant.requestId) ?? null, reviews.filter((review) => review.requestId === grant.requestId), overdueBefore);
  return { counts, active: live.map(line), pending: pending.map(line), lag: { from, to, bucketSec: LAG_BUCKET_SEC, buckets } };
}

function grantLine(grant: Grant, request: ElevationRequest | null, reviews: readonly Review[], overdueBefore: Date): GrantLine {
  const approvals = reviews.filter((review) => review.decision === 'approve').map((review) => ({ approverId: review.approverId, at: review.createdAt }));
  const owed = grant.status === 'revoking' || grant.status === 'active';
  return {
    grant: {
      id: grant.id,
      requestId: grant.requestId,
      status: grant.status,
      startsAt: grant.startsAt,
      endsAt: grant.endsAt,
      endReason: grant.endReason,
      revokeAttempts: grant.revokeAttempts,
      nextAttemptAt: grant.nextAttemptAt,
      lastError: grant.lastError,
    },
    requesterId: request?.requesterId ?? null,
    scopeName: request?.scopeName ?? null,
    approvals,
    approvedBy: approvals.length > 0 ? 'reviewers' : request?.breakGlass ? 'break_glass' : 'policy',
    overdue: owed && grant.endsAt <= overdueBefore,
  };
}
