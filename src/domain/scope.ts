import type { ChatPlatform } from './principal.ts';
import type { MfaPolicy } from './step-up.ts';

/**
 * A scope is what a person can ask for: one OAuth scope string at one audience, with the rules
 * for who may ask, who may approve, for how long, and what policy decides before any human.
 */
export interface ScopeDefinition {
  /** Stable identifier typed by requesters, e.g. `prod-db-admin`. */
  name: string;
  description: string;
  /** The OAuth `scope` value requested in the token exchange (space-separated). */
  oauthScope: string;
  /** The `audience`/`resource` of the issued token. */
  audience: string;
  defaultDurationSec: number;
  maxDurationSec: number;
  /** How long a request waits for reviewers before it expires. */
  pendingTtlSec: number;
  /** Distinct approvals needed (N ≥ 1). One denial always denies. */
  approvalsRequired: number;
  /** Principal ids of the eligible approvers. A requester never approves their own request. */
  approvers: string[];
  /** Principal ids allowed to request, or `['*']` for every known principal. */
  requesters: string[];
  /** Optional regular expression (JavaScript syntax) the reason must match. */
  reasonPattern: string | null;
  policy: ScopePolicy;
  /** Multi-factor step-up for requesters and approvers, or null: a click in chat is enough. */
  mfa: MfaPolicy | null;
  /** When an undecided request gets its one reminder, counted from the request; null: half the pending TTL. */
  remindAfterSec: number | null;
  /** Where an undecided request goes next and who else may then approve it; null: nowhere. */
  escalation: ScopeEscalation | null;
  /** How a live grant of this scope may be extended; null: the defaults of {@link extendPolicyOf}. */
  extend: ExtendPolicy | null;
  /** Break-glass: granted at once without approvers, reviewed afterwards; null: not allowed. */
  breakGlass: BreakGlassPolicy | null;
}

/** Where a notice goes: one channel on one platform. */
export interface ChannelRef {
  platform: 'slack' | 'teams';
  channelId: string;
}

export interface BreakGlassPolicy {
  allowed: boolean;
  /** Null: the scope's `maxDurationSec`. */
  maxDurationSec: number | null;
  /** Channels told loudly of every break-glass grant (besides the scope's reviewer channels). */
  broadcast: ChannelRef[];
  /** An eligible approver must acknowledge or flag it within this. */
  reviewWithinSec: number;
}

/**
 * Extensions of a grant of this scope. An extension is a request of its own, reviewed in the same
 * channels; `maxTotalSec` bounds the whole elevation (from the first grant's start to the new end).
 */
export interface ExtendPolicy {
  allowed: boolean;
  /** Null: the scope's `maxDurationSec`. */
  maxTotalSec: number | null;
  /** Null: the scope's `approvalsRequired`. 0: approved automatically within `maxTotalSec`. */
  approvalsRequired: number | null;
}

/** The extension rules in force for a scope, defaults filled in. */
export function extendPolicyOf(scope: ScopeDefinition): { allowed: boolean; maxTotalSec: number; approvalsRequired: number } {
  return {
    allowed: scope.extend?.allowed ?? true,
    maxTotalSec: scope.extend?.maxTotalSec ?? scope.maxDurationSec,
    approvalsRequired: scope.extend?.approvalsRequired ?? scope.approvalsRequired,
  };
}

/**
 * `escalate_to`: after `afterSec` an undecided request is posted to further reviewer channels and
 * further approvers become eligible for it. The request records that it was escalated
 * (`escalatedAt`), so eligibility is the same on every instance and after a restart.
 */
export interface ScopeEscalation {
  afterSec: number;
  channels: { platform: ChatPlatform; channelId: string }[];
  approvers: string[];
}

export interface ScopePolicy {
  /** Approve without review (still audited, still time-boxed). */
  autoApprove: boolean;
  /** Requests are only accepted inside this daily UTC window, e.g. 08:00–18:00. */
  allowedHoursUtc: { start: string; end: string } | null;
  /** At most this many requests per requester for this scope in any 24 hours. */
  maxRequestsPerDay: number | null;
  /** Deny when the requester has not been seen for this many days (a dormant account waking up). */
  dormantAfterDays: number | null;
  /**
   * The daily UTC window the scope is usually asked for in. Denies nothing: a request made
   * outside it is flagged to the approvers (context for the decision).
   */
  usualHoursUtc?: { start: string; end: string } | null;
}

export const EMPTY_POLICY: ScopePolicy = Object.freeze({
  autoApprove: false,
  allowedHoursUtc: null,
  maxRequestsPerDay: null,
  dormantAfterDays: null,
});

export const ANYONE = '*';

export function mayRequest(scope: ScopeDefinition, principalId: string): boolean {
  return scope.requesters.includes(ANYONE) || scope.requesters.includes(principalId);
}

/**
 * Whether a principal may approve requests for the scope: one of its approvers, or, for a request
 * that was escalated (`escalatedAt` set), one of its escalation approvers. Eligibility follows the
 * scope as it is now, like the approvers list itself does.
 */
export function isEligibleApprover(scope: ScopeDefinition, principalId: string, request?: EscalationState): boolean {
  return eligibleApproverIds(scope, request).includes(principalId);
}

/** What eligibility needs from a request: whether (and when) it was escalated. */
export interface EscalationState {
  escalatedAt: Date | null;
}

/** Every principal who may approve (the requester not removed), approvers first, without repeats. */
export function eligibleApproverIds(scope: ScopeDefinition, request?: EscalationState): string[] {
  const extra = request?.escalatedAt && scope.escalation ? scope.escalation.approvers : [];
  return [...new Set([...scope.approvers, ...extra])];
}

/** When a request made at `createdAt` is reminded: `remind_after`, by default half the pending TTL. */
export function reminderDueAt(scope: ScopeDefinition, createdAt: Date): Date {
  const after = scope.remindAfterSec ?? Math.floor(scope.pendingTtlSec / 2);
  return new Date(createdAt.getTime() + after * 1000);
}

/** When a request made at `createdAt` is escalated, or null when the scope does not escalate. */
export function escalationDueAt(scope: ScopeDefinition, createdAt: Date): Date | null {
  return scope.escalation ? new Date(createdAt.getTime() + scope.escalation.afterSec * 1000) : null;
}
