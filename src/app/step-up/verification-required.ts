import type { ElevationRequest } from '../../domain/request.ts';
import type { ScopeDefinition } from '../../domain/scope.ts';
import { describeAccepted } from '../../domain/step-up.ts';
import type { StoreTx } from '../../ports/store.ts';

/** The audit record of a request that now waits for its requester's multi-factor verification. */
export async function appendVerificationRequired(tx: StoreTx, request: ElevationRequest, scope: ScopeDefinition): Promise<void> {
  const mfa = scope.mfa!;
  await tx.appendAudit({
    type: 'request.verification_required',
    actor: 'system',
    requestId: request.id,
    data: { maxAgeSec: mfa.maxAgeSec, accepted: describeAccepted(mfa), pendingUntil: request.pendingUntil.toISOString() },
  });
}
