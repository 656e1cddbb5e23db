import { addSeconds } from './clock.ts';
import { ElevateError } from './errors.ts';
import type { ScopeDefinition } from './scope.ts';
import type { AuthenticationEvidence } from './step-up.ts';

export const REQUEST_STATUSES = [
  'pending',
  // Approved (by reviewers or policy), waiting for the requester's multi-factor verification.
  'verifying',
  'approved',
  'denied',
  'expired',
  'cancelled',
  'auto_approved',
  'auto_denied',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export type RequestSource = 'slack' | 'teams' | 'api' | 'cli' | 'web';

export interface ElevationRequest {
  id: string;
  scopeName: string;
  requesterId: string;
  durationSec: number;
  reason: string;
  source: RequestSource;
  status: RequestStatus;
  /** Copied from the scope when the request is made, so later scope edits do not move the goalposts. */
  approvalsRequired: number;
  createdAt: Date;
  /** When an unreviewed request expires. */
  pendingUntil: Date;
  decidedAt: Date | null;
  /** Why it was denied, auto-decided, cancelled or expired; shown to the requester. */
  decisionNote: string | null;
  /** The requester's multi-factor verification before issuance, when the scope asked for one. */
  requesterAuthentication: RequesterAuthentication | null;
  /** When the reviewers were reminded of it (once); null: not yet. */
  remindedAt: Date | null;
  /** When it was escalated (posted further, more approvers eligible); null: not escalated. */
  escalatedAt: Date | null;
  /** The requester's last activity before this request (context for the approvers); null: never seen. */
  requesterLastSeenAt: Date | null;
  /**
   * The grant this request extends, or null for a new elevation. An extension is reviewed like a
   * request; its grant replaces the one it extends (see `issueGrant`).
   */
  extendsGrantId: string | null;
  /** Set for a break-glass request: granted without approvers, reviewed after the fact. */
  breakGlass: BreakGlassReview | null;
}

/** Who asks for what, and when: what every new request is made of. */
export interface NewRequestInput {
  id: string;
  scope: Pick<ScopeDefinition, 'name' | 'approvalsRequired' | 'pendingTtlSec'>;
  requester: { id: string; lastSeenAt: Date | null };
  durationSec: number;
  reason: string;
  source: RequestSource;
  now: Date;
}

/**
 * A new request as the reviewers first see it: pending, needing the scope's approvals, expiring
 * after its pending TTL, nothing decided, reminded or escalated yet. `overrides` make it an
 * auto-decided request, an extension or a break-glass one.
 */
export function newRequest(input: NewRequestInput, overrides: Partial<ElevationRequest> = {}): ElevationRequest {
  return {
    id: input.id,
    scopeName: input.scope.name,
    requesterId: input.requester.id,
    durationSec: input.durationSec,
    reason: input.reason,
    source: input.source,
    status: 'pending',
    approvalsRequired: input.scope.approvalsRequired,
    createdAt: input.now,
    pendingUntil: addSeconds(input.now, input.scope.pendingTtlSec),
    decidedAt: null,
    decisionNote: null,
    requesterAuthentication: null,
    remindedAt: null,
    escalatedAt: null,
    requesterLastSeenAt: input.requester.lastSeenAt,
    extendsGrantId: null,
    breakGlass: null,
    ...overrides,
  };
}

/** The after-the-fact review of a break-glass grant: one eligible approver acknowledges or flags it. */
export interface BreakGlassReview {
  /** Unreviewed past this instant, it is overdue: the sweeper reminds the reviewers once. */
  dueAt: Date;
  remindedAt: Date | null;
  reviewedAt: Date | null;
  reviewedBy: string | null;
  verdict: BreakGlassVerdict | null;
  note: string | null;
}

export type BreakGlassVerdict = 'acknowledged' | 'flagged';

/** What the requester's step-up sign-in said, and when Elevate accepted it (the grant starts then). */
export interface RequesterAuthentication extends AuthenticationEvidence {
  verifiedAt: Date;
}

/** Allowed status changes. Everything not listed here is refused, which makes replays harmless. */
const TRANSITIONS: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  pending: ['verifying', 'approved', 'denied', 'expired', 'cancelled', 'auto_approved', 'auto_denied'],
  verifying: ['approved', 'auto_approved', 'expired', 'cancelled'],
  approved: [],
  denied: [],
  expired: [],
  cancelled: [],
  auto_approved: [],
  auto_denied: [],
};

export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertRequestTransition(request: ElevationRequest, to: RequestStatus): void {
  if (!canTransition(request.status, to)) {
    throw new ElevateError('already_decided', `This request is already ${describeStatus(request.status)}.`, {
      details: { requestId: request.id, from: request.status, to },
    });
  }
}

export function isGranted(status: RequestStatus): boolean {
  return status === 'approved' || status === 'auto_approved';
}

/** Statuses in which a request waits for a person (reviewers, or the requester's verification) until `pendingUntil`. */
export const WAITING_STATUSES: readonly RequestStatus[] = Object.freeze(['pending', 'verifying']);

export function describeStatus(status: RequestStatus): string {
  if (status === 'verifying') return 'approved and waiting for the requester to verify';
  return status.replace('_', '-');
}
