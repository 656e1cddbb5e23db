import type { Grant } from '../domain/grant.ts';
import type { ElevationRequest } from '../domain/request.ts';

/**
 * How the core tells people about changes nobody clicked for: a request that expired unreviewed,
 * a grant that ended, a revocation that is overdue, a grant the sweeper issued for an approval that
 * was interrupted. Chat adapters implement it (update the
 * approval messages, DM the requester); with none configured the sweep still runs and logs.
 */
export interface LifecycleNotifier {
  requestExpired(request: ElevationRequest): Promise<void>;
  /** The request waited past its scope's `remind_after`: remind who can decide (once). */
  requestReminded(request: ElevationRequest): Promise<void>;
  /** The request waited past `escalate_to.after`: post it to the escalation channels (once). */
  requestEscalated(request: ElevationRequest): Promise<void>;
  grantEnded(grant: Grant): Promise<void>;
  /** The grant is past its end and the AS still has not confirmed revocation. */
  revocationOverdue(grant: Grant): Promise<void>;
  /** The sweeper issued the grant of an approval whose own flow was interrupted. */
  grantIssued(grant: Grant): Promise<void>;
  /**
   * The sweeper could not issue the grant of such an approval: `error` is why (null: its window
   * had already passed).
   */
  grantIssueFailed(requestId: string, error: unknown): Promise<void>;
  /** Nobody acknowledged or flagged this break-glass grant within its scope's `review_within`. */
  breakGlassReviewOverdue(request: ElevationRequest): Promise<void>;
}
