import type { Grant } from '../../src/domain/grant.ts';
import type { ElevationRequest } from '../../src/domain/request.ts';
import type { LifecycleNotifier } from '../../src/ports/lifecycle-notifier.ts';

/** Keeps every notice it is given, so tests can check who was told what. */
export class RecordingNotifier implements LifecycleNotifier {
  readonly notices: { kind: 'requestExpired' | 'requestReminded' | 'requestEscalated' | 'grantEnded' | 'revocationOverdue' | 'grantIssued' | 'grantIssueFailed' | 'breakGlassReviewOverdue'; id: string }[] = [];

  async breakGlassReviewOverdue(request: ElevationRequest): Promise<void> {
    this.notices.push({ kind: 'breakGlassReviewOverdue', id: request.id });
  }

  async requestExpired(request: ElevationRequest): Promise<void> {
    this.notices.push({ kind: 'requestExpired', id: request.id });
  }

  async requestReminded(request: ElevationRequest): Promise<void> {
    this.notices.push({ kind: 'requestReminded', id: request.id });
  }

  async requestEscalated(request: ElevationRequest): Promise<void> {
    this.notices.push({ kind: 'requestEscalated', id: request.id });
  }

  async grantEnded(grant: Grant): Promise<void> {
    this.notices.push({ kind: 'grantEnded', id: grant.id });
  }

  async revocationOverdue(grant: Grant): Promise<void> {
    this.notices.push({ kind: 'revocationOverdue', id: grant.id });
  }

  async grantIssued(grant: Grant): Promise<void> {
    this.notices.push({ kind: 'grantIssued', id: grant.id });
  }

  async grantIssueFailed(requestId: string): Promise<void> {
    this.notices.push({ kind: 'grantIssueFailed', id: requestId });
  }
}
