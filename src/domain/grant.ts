import { ElevateError } from './errors.ts';

/**
 * `issuing` is written before the token exchange is attempted, so a crash between the exchange and
 * its recording is visible (and reconciled) rather than forgotten. `revoking` likewise precedes the
 * revocation call.
 */
export const GRANT_STATUSES = ['issuing', 'active', 'revoking', 'revoked', 'issue_failed'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];

/** `extended`: replaced by the grant of its approved extension, revoked once that one was recorded. */
export type GrantEndReason = 'expired' | 'ended_by_requester' | 'revoked_by_reviewer' | 'revoked_by_admin' | 'extended';

export interface Grant {
  id: string;
  requestId: string;
  status: GrantStatus;
  /** The approved window: it starts at approval, not at request time. */
  startsAt: Date;
  endsAt: Date;
  /** What the authorization server said (`expires_in`), recorded beside the window we enforce. */
  asExpiresAt: Date | null;
  issuedAt: Date | null;
  /** The access token sealed with the token cipher; erased (null) once revoked. */
  tokenSealed: string | null;
  tokenType: string | null;
  endReason: GrantEndReason | null;
  revokedAt: Date | null;
  /** Confirmed revocation time minus `endsAt`, in milliseconds (negative when ended early). */
  revocationLagMs: number | null;
  revokeAttempts: number;
  nextAttemptAt: Date | null;
  /** Non-secret description of the last failure, e.g. the AS's `error` code. */
  lastError: string | null;
}

const TRANSITIONS: Readonly<Record<GrantStatus, readonly GrantStatus[]>> = {
  issuing: ['active', 'issue_failed', 'revoking'],
  active: ['revoking'],
  revoking: ['revoked'],
  revoked: [],
  issue_failed: [],
};

export function canTransitionGrant(from: GrantStatus, to: GrantStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertGrantTransition(grant: Grant, to: GrantStatus): void {
  if (!canTransitionGrant(grant.status, to)) {
    throw new ElevateError('conflict', `Grant ${grant.id} is ${grant.status} and cannot become ${to}.`, {
      details: { grantId: grant.id, from: grant.status, to },
    });
  }
}

export function newGrant(input: { id: string; requestId: string; startsAt: Date; durationSec: number }): Grant {
  return {
    id: input.id,
    requestId: input.requestId,
    status: 'issuing',
    startsAt: input.startsAt,
    endsAt: new Date(input.startsAt.getTime() + input.durationSec * 1000),
    asExpiresAt: null,
    issuedAt: null,
    tokenSealed: null,
    tokenType: null,
    endReason: null,
    revokedAt: null,
    revocationLagMs: null,
    revokeAttempts: 0,
    nextAttemptAt: null,
    lastError: null,
  };
}
