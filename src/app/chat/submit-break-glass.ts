import { describeError } from '../describe-error.ts';
import { requestBreakGlass, type RequestBreakGlassInput } from '../request-break-glass.ts';
import type { ChatDeps } from './chat-deps.ts';
import { issueAndDeliver } from './issue-and-deliver.ts';
import { noticeKey } from './notify-principal.ts';
import { publishRequest } from './publish-request.ts';
import { sendStepUpLink } from './send-step-up-link.ts';
import type { ConfirmToRequester, SubmitResult } from './submit-request.ts';

/**
 * Break-glass end to end: granted by the core (or refused, throwing, with nothing stored), posted
 * loudly in every reviewer channel of the scope and every broadcast channel (the message carries
 * Acknowledge and Flag for the approvers), the requester told it will be reviewed, then the token
 * issued and offered privately, or, where the scope needs requester MFA, the verification link
 * sent first.
 */
export async function submitBreakGlass(deps: ChatDeps, input: RequestBreakGlassInput, confirm?: ConfirmToRequester): Promise<SubmitResult> {
  const result = await requestBreakGlass(deps, input);
  const { request, scope } = result;
  const published = await publishRequest(deps, request.id, { alsoTo: scope.breakGlass?.broadcast ?? [] });
  const submitted: SubmitResult = { ...result, published };
  await deps.notices.run(noticeKey(request.requesterId, request.id), async () => {
    try {
      await confirm?.(submitted);
    } catch (error) {
      deps.logger.warn({ err: describeError(error), request_id: request.id }, 'could not confirm a break-glass to its requester');
    }
  });
  if (request.status === 'verifying') await sendStepUpLink(deps, { purpose: 'receive', requestId: request.id, principalId: request.requesterId });
  else await issueAndDeliver(deps, request.id);
  return submitted;
}
