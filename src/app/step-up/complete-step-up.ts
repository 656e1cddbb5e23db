import { ElevateError, isElevateError } from '../../domain/errors.ts';
import { checkAuthentication, type AuthenticationEvidence } from '../../domain/step-up.ts';
import type { StepUpPurpose, StepUpTicket } from '../../domain/step-up-ticket.ts';
import type { RequestView } from '../../ports/chat-platform.ts';
import { buildRequestView } from '../chat/build-request-view.ts';
import type { ChatDeps } from '../chat/chat-deps.ts';
import { decideRequest } from '../chat/decide-request.ts';
import { issueAndDeliver } from '../chat/issue-and-deliver.ts';
import { refreshRequestMessages } from '../chat/refresh-messages.ts';
import { describeError } from '../describe-error.ts';
import { hashSecret, matchesHash } from './secrets.ts';
import { requireStepUp } from './step-up-settings.ts';
import { findStepUpTarget, refused } from './ticket-target.ts';
import { verifyRequester } from './verify-requester.ts';

export interface CompleteStepUpInput {
  /** `state` of the callback, as the browser brought it back. */
  state: string | null;
  /** The browser binding from the cookie set when the sign-in started. */
  binding: string | null;
  /** The whole callback URL (code, state, iss, or the provider's error). */
  callbackUrl: URL;
}

export interface CompletedStepUp {
  purpose: StepUpPurpose;
  /** `issued`: the token waits for the requester; `approved`: the approval is recorded. */
  outcome: 'issued' | 'issue_failed' | 'approved';
  view: RequestView;
}

/** Why a step-up was refused, for the audit trail: a closed list, never a provider's words. */
type RefusalReason = 'browser_mismatch' | 'replayed' | 'expired' | 'not_verified' | 'another_person' | 'not_accepted' | 'no_longer_applies';

/**
 * The provider's callback. The ticket is found by the hash of `state`, must come back to the
 * browser that started it (the binding cookie: no login CSRF), and is marked completed before
 * anything else, so a replayed callback is refused on every instance. The ID token is verified
 * (signature, issuer, audience, nonce, expiry, `auth_time`), must name the ticket's person, and
 * must satisfy the scope's policy now. Then: the requester's verification is recorded and the
 * token issued and delivered; or the approver's sign-in is recorded and the approval counts,
 * under the same rules as a click. Every refusal is audited and changes nothing else.
 */
export async function completeStepUp(deps: ChatDeps, input: CompleteStepUpInput): Promise<CompletedStepUp> {
  const settings = requireStepUp(deps.stepUp);
  const ticket = input.state ? await deps.store.findStepUpTicketByState(hashSecret(input.state)) : null;
  if (!ticket || !ticket.nonce || !ticket.codeVerifier) throw refused('This sign-in is unknown or was finished already. Follow a new link to verify.');
  if (!matchesHash(input.binding, ticket.bindingHash)) {
    throw await refusal(deps, ticket, 'browser_mismatch', 'This sign-in was started in another browser. Follow a new link, and finish the sign-in in the browser you opened it in.');
  }
  const now = deps.clock.now();
  const taken = await deps.store.transaction((tx) => tx.completeStepUpTicket(ticket.idHash, now));
  if (!taken) throw await refusal(deps, ticket, 'replayed', 'This sign-in was finished already. Follow a new link to verify again.');
  if (now.getTime() > ticket.expiresAt.getTime()) throw await refusal(deps, ticket, 'expired', 'This sign-in took longer than the link allows (10 minutes). Follow a new link.');

  const maxAgeSec = (await deps.store.getScope((await deps.store.getRequest(ticket.requestId))?.scopeName ?? ''))?.mfa?.maxAgeSec ?? 0;
  let evidence: AuthenticationEvidence;
  try {
    evidence = await settings.authenticator.redeem({ callbackUrl: input.callbackUrl, redirectUri: settings.redirectUri, state: input.state!, nonce: ticket.nonce, codeVerifier: ticket.codeVerifier, maxAgeSec });
  } catch (error) {
    if (isElevateError(error, 'issuer_unavailable')) throw error;
    deps.logger.info({ err: describeError(error), request_id: ticket.requestId }, 'a step-up sign-in did not verify');
    throw await refusal(deps, ticket, 'not_verified', 'The sign-in could not be verified. Follow a new link to try again.');
  }
  if (evidence.subject !== ticket.principalId) {
    throw await refusal(deps, ticket, 'another_person', 'You signed in as someone other than the person this link was sent to. Nothing was changed.');
  }
  let target;
  try {
    target = await findStepUpTarget(deps.store, ticket.purpose, ticket.requestId, ticket.principalId, deps.clock.now());
  } catch (error) {
    throw await refusal(deps, ticket, 'no_longer_applies', (error as Error).message);
  }
  const check = checkAuthentication(target.mfa, evidence, deps.clock.now());
  if (!check.ok) throw await refusal(deps, ticket, 'not_accepted', `${check.message} Scope ${target.scope.name} needs a stronger or fresher sign-in; nothing was changed.`);

  if (ticket.purpose === 'receive') return receive(deps, ticket, evidence);
  return approve(deps, ticket, evidence);
}

async function receive(deps: ChatDeps, ticket: StepUpTicket, evidence: AuthenticationEvidence): Promise<CompletedStepUp> {
  await verifyRequester(deps, { requestId: ticket.requestId, principalId: ticket.principalId, evidence });
  await refreshRequestMessages(deps, ticket.requestId);
  const grant = await issueAndDeliver(deps, ticket.requestId);
  const view = await buildRequestView(deps.store, ticket.requestId);
  return { purpose: 'receive', outcome: grant?.status === 'active' ? 'issued' : 'issue_failed', view };
}

async function approve(deps: ChatDeps, ticket: StepUpTicket, evidence: AuthenticationEvidence): Promise<CompletedStepUp> {
  await deps.store.transaction((tx) => tx.putLastAuthentication(ticket.principalId, evidence, deps.clock.now()));
  const result = await decideRequest(deps, { requestId: ticket.requestId, actor: { principalId: ticket.principalId, via: 'web' }, decision: 'approve', authentication: evidence });
  if (result.outcome.kind === 'step_up_required') {
    throw new ElevateError('step_up_refused', `${result.outcome.problem} Nothing was changed.`, { details: { requestId: ticket.requestId } });
  }
  return { purpose: 'approve', outcome: 'approved', view: await buildRequestView(deps.store, ticket.requestId) };
}

/** Audits a refusal (its reason from a closed list) and returns the error to throw. */
async function refusal(deps: ChatDeps, ticket: StepUpTicket, reason: RefusalReason, message: string): Promise<ElevateError> {
  await deps.store.transaction((tx) =>
    tx.appendAudit({ type: 'step_up.refused', actor: ticket.principalId, requestId: ticket.requestId, data: { purpose: ticket.purpose, reason } }),
  );
  return refused(message, { requestId: ticket.requestId, reason });
}
