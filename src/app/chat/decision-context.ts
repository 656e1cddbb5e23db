import { addSeconds } from '../../domain/clock.ts';
import type { ElevationRequest } from '../../domain/request.ts';
import type { ScopeDefinition } from '../../domain/scope.ts';
import { withinDailyWindow } from '../../domain/policy.ts';
import type { DecisionContext } from '../../ports/chat-platform.ts';
import type { StoreReader } from '../../ports/store.ts';

/** How many other holders an approval message names; the rest are counted ("and N more"). */
export const MAX_HOLDERS_NAMED = 10;
const HISTORY_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * The facts an approver weighs a request by, read from the store: is this the person's first
 * request for the scope, how often they asked in the last 30 days, how long since they were last
 * seen, whether it came outside the scope's usual hours, and who holds the scope right now.
 * History is counted up to the request's own creation, so the numbers do not drift while it waits;
 * holders are as of `now`.
 */
export async function buildDecisionContext(store: StoreReader, request: ElevationRequest, scope: ScopeDefinition, now: Date): Promise<DecisionContext> {
  const [earlier, lately, holders] = await Promise.all([
    store.countRequestsSince(request.requesterId, scope.name, new Date(0), request.createdAt),
    store.countRequestsSince(request.requesterId, scope.name, addSeconds(request.createdAt, -HISTORY_DAYS * 86_400), request.createdAt),
    store.listScopeHolders(scope.name, now),
  ]);
  const others = holders.filter((holder) => holder.principalId !== request.requesterId);
  const shown = await Promise.all(
    others.slice(0, MAX_HOLDERS_NAMED).map(async (holder) => ({
      principalId: holder.principalId,
      displayName: (await store.getPrincipal(holder.principalId))?.displayName ?? holder.principalId,
      endsAt: holder.endsAt,
    })),
  );
  const lastSeen = request.requesterLastSeenAt;
  const hours = scope.policy.usualHoursUtc ?? null;
  return {
    firstRequestForScope: earlier === 0,
    requestsLast30Days: lately,
    daysSinceLastSeen: lastSeen === null ? null : Math.max(0, Math.floor((request.createdAt.getTime() - lastSeen.getTime()) / DAY_MS)),
    usualHours: hours ? { ...hours, outside: !withinDailyWindow(request.createdAt, hours) } : null,
    requesterHoldsUntil: holders.find((holder) => holder.principalId === request.requesterId)?.endsAt ?? null,
    otherHolders: { shown, total: others.length },
    // The hook for extensions: an extension request names the grant it extends, and fills this in.
    extendsGrant: null,
  };
}
