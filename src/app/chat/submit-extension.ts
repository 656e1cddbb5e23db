import { requestExtension, type RequestExtensionInput } from '../request-extension.ts';
import type { ChatDeps } from './chat-deps.ts';
import { actOnNewRequest, type ConfirmToRequester, type SubmitResult } from './submit-request.ts';

/**
 * An extension asked for in chat or through the API, end to end: checked and stored by the core
 * (a refused extension throws and stores nothing), then published to the scope's reviewer
 * channels like a request, or, approved without reviewers, issued and delivered at once (after
 * the requester's verification where the scope needs it).
 */
export async function submitExtension(deps: ChatDeps, input: RequestExtensionInput, confirm?: ConfirmToRequester): Promise<SubmitResult> {
  return actOnNewRequest(deps, await requestExtension(deps, input), confirm);
}
