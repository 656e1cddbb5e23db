import { addSeconds } from '../../domain/clock.ts';
import { STEP_UP_TICKET_TTL_SEC, type StepUpPurpose } from '../../domain/step-up-ticket.ts';
import type { CoreDeps } from '../deps.ts';
import { hashSecret, randomSecret } from './secrets.ts';
import { requireStepUp, type StepUpSettings } from './step-up-settings.ts';
import { findStepUpTarget } from './ticket-target.ts';

export interface StepUpLinkInput {
  purpose: StepUpPurpose;
  requestId: string;
  principalId: string;
}

/** A one-time link to a step-up sign-in. The URL is the secret: send it only to its person, privately. */
export interface StepUpLink {
  purpose: StepUpPurpose;
  url: string;
  expiresAt: Date;
}

/**
 * Makes a one-time link for one person and one request, valid for ten minutes. Only the SHA-256
 * of its secret is stored. Refused (`step_up_refused`) when the person could not use it now.
 */
export async function issueStepUpLink(deps: Pick<CoreDeps, 'store' | 'clock'> & { stepUp?: StepUpSettings }, input: StepUpLinkInput): Promise<StepUpLink> {
  const settings = requireStepUp(deps.stepUp);
  const now = deps.clock.now();
  await findStepUpTarget(deps.store, input.purpose, input.requestId, input.principalId, now);
  const ticket = randomSecret();
  const expiresAt = addSeconds(now, STEP_UP_TICKET_TTL_SEC);
  await deps.store.transaction(async (tx) => {
    await tx.insertStepUpTicket({
      idHash: hashSecret(ticket),
      purpose: input.purpose,
      requestId: input.requestId,
      principalId: input.principalId,
      createdAt: now,
      expiresAt,
      startedAt: null,
      stateHash: null,
      bindingHash: null,
      nonce: null,
      codeVerifier: null,
      completedAt: null,
    });
    await tx.appendAudit({ type: 'step_up.link_issued', actor: input.principalId, requestId: input.requestId, data: { purpose: input.purpose, expiresAt: expiresAt.toISOString() } });
  });
  return { purpose: input.purpose, url: settings.linkFor(ticket), expiresAt };
}
