import type { Grant } from '../domain/grant.ts';
import type { ElevationRequest } from '../domain/request.ts';
import { describeError } from '../app/describe-error.ts';
import type { Logger } from '../logging/logger.ts';
import type { LifecycleNotifier } from '../ports/lifecycle-notifier.ts';

/**
 * The notifier used when no chat platform is configured: the events still happen (and are in
 * the audit trail); this puts them in the log where an operator will look.
 */
export class LogNotifier implements LifecycleNotifier {
  constructor(private readonly logger: Logger) {}

  async requestExpired(request: ElevationRequest): Promise<void> {
    this.logger.info({ request_id: request.id, scope: request.scopeName, requester: request.requesterId }, 'request expired unreviewed');
  }

  async requestReminded(request: ElevationRequest): Promise<void> {
    this.logger.info({ request_id: request.id, scope: request.scopeName }, 'request still undecided: reviewers reminded (no chat platform to remind them in)');
  }

  async requestEscalated(request: ElevationRequest): Promise<void> {
    this.logger.warn({ request_id: request.id, scope: request.scopeName }, 'request escalated: escalation approvers may now decide (no chat platform to post it in)');
  }

  async grantEnded(grant: Grant): Promise<void> {
    this.logger.info({ grant_id: grant.id, request_id: grant.requestId, reason: grant.endReason, lag_ms: grant.revocationLagMs }, 'grant ended and revoked');
  }

  async revocationOverdue(grant: Grant): Promise<void> {
    this.logger.error({ grant_id: grant.id, request_id: grant.requestId, attempts: grant.revokeAttempts, alert: 'revocation_overdue' }, 'revocation overdue');
  }

  async grantIssued(grant: Grant): Promise<void> {
    this.logger.info({ grant_id: grant.id, request_id: grant.requestId, ends_at: grant.endsAt.toISOString() }, 'grant issued by the sweeper after an interrupted approval');
  }

  async breakGlassReviewOverdue(request: ElevationRequest): Promise<void> {
    this.logger.warn({ request_id: request.id, scope: request.scopeName, requester: request.requesterId, alert: 'break_glass_unreviewed' }, 'break-glass grant not reviewed in time');
  }

  async grantIssueFailed(requestId: string, error: unknown): Promise<void> {
    this.logger.warn({ request_id: requestId, err: error === null ? 'window_passed' : describeError(error) }, 'grant could not be issued after an interrupted approval');
  }
}
