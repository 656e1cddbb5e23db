import { reviewBreakGlass, type ReviewBreakGlassInput } from '../review-break-glass.ts';
import type { ElevationRequest } from '../../domain/request.ts';
import type { ChatDeps } from './chat-deps.ts';
import { postToChannels } from './publish-request.ts';
import { refreshRequestMessages } from './refresh-messages.ts';

/**
 * An approver acknowledges or flags a break-glass grant from chat (or the API): recorded and
 * audited by the core, shown on every message of it; a flag is posted again, as a new message,
 * in the scope's broadcast channels, so it is seen rather than edited in quietly.
 */
export async function reviewBreakGlassFromChat(deps: ChatDeps, input: ReviewBreakGlassInput): Promise<ElevationRequest> {
  const request = await reviewBreakGlass(deps, input);
  await refreshRequestMessages(deps, request.id);
  if (request.breakGlass?.verdict === 'flagged') {
    const scope = await deps.store.getScope(request.scopeName);
    await postToChannels(deps, request.id, scope?.breakGlass?.broadcast ?? []);
  }
  return request;
}
