import type { ElevationRequest } from '../../domain/request.ts';
import type { Actor } from '../actor.ts';
import { cancelRequest } from '../cancel-request.ts';
import type { ChatDeps } from './chat-deps.ts';
import { refreshRequestMessages } from './refresh-messages.ts';

/** The requester withdraws a pending request; its approval messages lose their buttons. */
export async function cancelFromChat(deps: ChatDeps, requestId: string, actor: Actor): Promise<ElevationRequest> {
  const request = await cancelRequest(deps, requestId, actor);
  await refreshRequestMessages(deps, requestId);
  return request;
}
