import type { StepUpPurpose } from '../../domain/step-up-ticket.ts';
import { describeError } from '../describe-error.ts';
import { issueStepUpLink, type StepUpLink } from '../step-up/issue-step-up-link.ts';
import { buildRequestView } from './build-request-view.ts';
import type { ChatDeps } from './chat-deps.ts';
import { notifyPrincipal } from './notify-principal.ts';

/**
 * Makes a one-time step-up link and sends it to its person privately, on every platform where
 * they have a linked account: "verify to receive your token" for a requester, "verify to approve"
 * for an approver. Returns the link, or null when it could not be made (logged: the request stays
 * as it is, and `/elevate verify <id>` asks again).
 */
export async function sendStepUpLink(deps: ChatDeps, input: { purpose: StepUpPurpose; requestId: string; principalId: string }): Promise<StepUpLink | null> {
  let link: StepUpLink;
  try {
    link = await issueStepUpLink(deps, input);
  } catch (error) {
    deps.logger.warn({ err: describeError(error), request_id: input.requestId, purpose: input.purpose }, 'could not make a step-up link');
    return null;
  }
  const view = await buildRequestView(deps.store, input.requestId);
  const kind = input.purpose === 'receive' ? 'verify_to_receive' : 'verify_to_approve';
  await notifyPrincipal(deps, input.principalId, { kind, view, link: { url: link.url, expiresAt: link.expiresAt } });
  return link;
}
