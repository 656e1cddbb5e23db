import type { Actor } from '../actor.ts';
import { endGrantAsPerson, type EndGrantResult } from '../end-grant.ts';
import { buildRequestView } from './build-request-view.ts';
import type { ChatDeps } from './chat-deps.ts';
import { notifyPrincipal } from './notify-principal.ts';
import { refreshRequestMessages } from './refresh-messages.ts';

/**
 * "I'm done" from the requester, or a revocation by an approver or admin: ends the grant at the
 * AS, updates the approval messages and tells the requester. When the AS cannot be reached the
 * grant stays `revoking`; the sweeper retries and sends the notice once revocation is confirmed.
 */
export async function endGrantFromChat(deps: ChatDeps, grantId: string, actor: Actor): Promise<EndGrantResult> {
  const result = await endGrantAsPerson(deps, grantId, actor);
  await refreshRequestMessages(deps, result.grant.requestId);
  if (result.kind === 'revoked') {
    const view = await buildRequestView(deps.store, result.grant.requestId);
    await notifyPrincipal(deps, view.request.requesterId, { kind: 'grant_ended', view });
  }
  return result;
}
