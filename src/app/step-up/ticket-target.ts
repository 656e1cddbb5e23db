import { ElevateError } from '../../domain/errors.ts';
import type { ElevationRequest } from '../../domain/request.ts';
import { isEligibleApprover, type ScopeDefinition } from '../../domain/scope.ts';
import type { StepUpPurpose } from '../../domain/step-up-ticket.ts';
import type { MfaPolicy } from '../../domain/step-up.ts';
import type { StoreReader } from '../../ports/store.ts';

/** The request a step-up is for, its scope, and the scope's policy. */
export interface StepUpTarget {
  request: ElevationRequest;
  scope: ScopeDefinition;
  mfa: MfaPolicy;
}

/**
 * Checks that a person may verify for a request now: the requester of an approved request waiting
 * for their verification (`receive`), or an eligible approver, not the requester, of a pending one
 * (`approve`). Checked when a link is made, when it is followed and when the sign-in returns,
 * so a link outliving its purpose does nothing.
 */
export async function findStepUpTarget(store: StoreReader, purpose: StepUpPurpose, requestId: string, principalId: string, now: Date): Promise<StepUpTarget> {
  const request = await store.getRequest(requestId);
  const scope = request ? await store.getScope(request.scopeName) : null;
  if (!request || !scope) throw refused('That request does not exist any more.', { requestId });
  if (!scope.mfa) throw refused(`Scope ${scope.name} no longer asks for a multi-factor sign-in; nothing to verify.`, { requestId });
  if (now.getTime() >= request.pendingUntil.getTime() && (request.status === 'pending' || request.status === 'verifying')) {
    throw refused('This request has expired.', { requestId });
  }
  if (purpose === 'receive') {
    if (request.requesterId !== principalId) throw refused('Only the requester can verify to receive this token.', { requestId });
    if (request.status !== 'verifying') throw refused(`This request is not waiting for your verification (it is ${request.status.replace('_', '-')}).`, { requestId, status: request.status });
  } else {
    if (request.requesterId === principalId) throw refused('You cannot approve your own request; another approver has to.', { requestId });
    if (!isEligibleApprover(scope, principalId, request)) throw refused(`You are not an approver for scope ${scope.name}.`, { requestId });
    if (request.status !== 'pending') throw refused(`This request is no longer waiting for approvals (it is ${request.status.replace('_', '-')}).`, { requestId, status: request.status });
  }
  return { request, scope, mfa: scope.mfa };
}

export function refused(message: string, details: Record<string, unknown> = {}): ElevateError {
  return new ElevateError('step_up_refused', message, { details });
}
