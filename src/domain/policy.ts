import type { Principal } from './principal.ts';
import type { ScopeDefinition } from './scope.ts';

/**
 * What policy decides before any human sees a request. Rules run in a fixed order and the first
 * denial wins; auto-approval applies only when no rule denies.
 */
export type PolicyDecision =
  | { outcome: 'auto_deny'; rule: PolicyRule; reason: string }
  | { outcome: 'auto_approve'; rule: 'auto_approve' }
  | { outcome: 'review'; approvalsRequired: number };

export type PolicyRule = 'outside_hours' | 'rate_limit' | 'dormant_account' | 'auto_approve';

export interface PolicyInput {
  scope: ScopeDefinition;
  requester: Principal;
  now: Date;
  /** Requests this requester made for this scope in the 24 hours before `now`, this one excluded. */
  requestsInLastDay: number;
}

export function decidePolicy(input: PolicyInput): PolicyDecision {
  const { scope, requester, now } = input;
  const policy = scope.policy;

  if (policy.allowedHoursUtc && !withinDailyWindow(now, policy.allowedHoursUtc)) {
    const { start, end } = policy.allowedHoursUtc;
    return {
      outcome: 'auto_deny',
      rule: 'outside_hours',
      reason: `Scope ${scope.name} can only be requested between ${start} and ${end} UTC.`,
    };
  }
  if (policy.maxRequestsPerDay !== null && input.requestsInLastDay >= policy.maxRequestsPerDay) {
    return {
      outcome: 'auto_deny',
      rule: 'rate_limit',
      reason: `You have reached the limit of ${policy.maxRequestsPerDay} requests for ${scope.name} in 24 hours.`,
    };
  }
  if (policy.dormantAfterDays !== null) {
    // A principal never seen is not fresh: it has been idle since Elevate first knew it.
    const lastActive = requester.lastSeenAt ?? requester.createdAt;
    const idleDays = (now.getTime() - lastActive.getTime()) / 86_400_000;
    if (idleDays >= policy.dormantAfterDays) {
      const idle = requester.lastSeenAt === null ? `has never been used in the ${Math.floor(idleDays)} days since it was defined` : `has not been used for ${Math.floor(idleDays)} days`;
      return {
        outcome: 'auto_deny',
        rule: 'dormant_account',
        reason: `This account ${idle}; an admin must confirm it before it can request ${scope.name}.`,
      };
    }
  }
  if (policy.autoApprove) return { outcome: 'auto_approve', rule: 'auto_approve' };
  return { outcome: 'review', approvalsRequired: scope.approvalsRequired };
}

/** True when `now` falls in the daily UTC window; a window like 22:00–06:00 wraps midnight. */
export function withinDailyWindow(now: Date, window: { start: string; end: string }): boolean {
  const minute = now.getUTCHours() * 60 + now.getUTCMinutes();
  const start = minutesOfDay(window.start);
  const end = minutesOfDay(window.end);
  return start <= end ? minute >= start && minute < end : minute >= start || minute < end;
}

function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
