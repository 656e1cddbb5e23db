import { ElevateError } from '../../domain/errors.ts';
import type { ElevationRequest } from '../../domain/request.ts';
import { checkAuthentication, describeEvidence, type AuthenticationEvidence } from '../../domain/step-up.ts';
import type { CoreDeps } from '../deps.ts';

export interface VerifyRequesterInput {
  requestId: string;
  principalId: string;
  evidence: AuthenticationEvidence;
}

/**
 * The requester's verification of an approved request: checked against the scope's policy now,
 * under the request's lock, and recorded with the request as it moves from `verifying` to
 * approved (by its reviewers, or by policy when none approved). The grant's window starts here.
 * A verification that arrives twice changes nothing the second time.
 */
export async function verifyRequester(deps: Pick<CoreDeps, 'store' | 'clock'>, input: VerifyRequesterInput): Promise<{ request: ElevationRequest; verified: boolean }> {
  const { store, clock } = deps;
  return store.transaction(async (tx) => {
    const request = await tx.lockRequest(input.requestId);
    if (!request) throw new ElevateError('not_found', 'That request does not exist.', { details: { requestId: input.requestId } });
    const details = { requestId: request.id, principalId: input.principalId };
    if (request.requesterId !== input.principalId) throw new ElevateError('forbidden', 'Only the requester can verify to receive this token.', { details });
    if (request.status !== 'verifying') {
      if (request.requesterAuthentication !== null) return { request, verified: false };
      throw new ElevateError('already_decided', `This request is not waiting for a verification (it is ${request.status.replace('_', '-')}).`, { details });
    }
    const now = clock.now();
    if (now.getTime() >= request.pendingUntil.getTime()) {
      throw new ElevateError('request_expired', 'This request waited too long for your verification and has expired; send a new one.', { details });
    }
    const scope = await tx.getScope(request.scopeName);
    if (!scope) throw new ElevateError('unknown_scope', `Scope ${request.scopeName} no longer exists.`, { details });
    if (scope.mfa) {
      const check = checkAuthentication(scope.mfa, input.evidence, now);
      if (!check.ok) throw new ElevateError('step_up_required', check.message, { details: { ...details, problem: check.problem } });
    }
    const approvals = (await tx.listReviews(request.id)).filter((review) => review.decision === 'approve').length;
    const patch = {
      status: approvals > 0 ? ('approved' as const) : ('auto_approved' as const),
      requesterAuthentication: { ...input.evidence, amr: [...input.evidence.amr], verifiedAt: now },
    };
    if (!(await tx.updateRequest(request.id, 'verifying', patch))) {
      throw new ElevateError('already_decided', 'This request changed a moment ago.', { details });
    }
    await tx.appendAudit({ type: 'request.verified', actor: input.principalId, requestId: request.id, data: { ...describeEvidence(input.evidence) } });
    return { request: { ...request, ...patch }, verified: true };
  });
}
