import type { Grant } from '../../domain/grant.ts';
import { issueGrant } from '../issue-grant.ts';
import { buildRequestView } from './build-request-view.ts';
import type { ChatDeps } from './chat-deps.ts';
import { describeFailureForPerson } from './describe-failure.ts';
import { notifyPrincipal } from './notify-principal.ts';
import { refreshRequestMessages } from './refresh-messages.ts';

/** An extension's issuance ends the grant it extends: that grant's approval messages show it. */
async function refreshExtendedGrant(deps: ChatDeps, requestId: string): Promise<void> {
  const request = await deps.store.getRequest(requestId);
  const extended = request?.extendsGrantId ? await deps.store.getGrant(request.extendsGrantId) : null;
  if (extended) await refreshRequestMessages(deps, extended.requestId);
}

/**
 * After approval: exchanges the token, offers it to the requester privately (a `grant_issued`
 * notice carries no secret, only a way to reveal it: see `revealToken`), and shows the grant on
 * the approval messages. A failed exchange is told to the requester and shown on the messages.
 * Calling it twice for one request issues once (`issueGrant` is idempotent).
 */
export async function issueAndDeliver(deps: ChatDeps, requestId: string): Promise<Grant | null> {
  try {
    const { grant, created } = await issueGrant(deps, requestId);
    if (created && grant.status === 'active') {
      const view = await buildRequestView(deps.store, requestId);
      await notifyPrincipal(deps, view.request.requesterId, { kind: 'grant_issued', view });
    }
    return grant;
  } catch (error) {
    const view = await buildRequestView(deps.store, requestId);
    await notifyPrincipal(deps, view.request.requesterId, { kind: 'grant_failed', view, reason: describeFailureForPerson(error) });
    return null;
  } finally {
    await refreshRequestMessages(deps, requestId);
    await refreshExtendedGrant(deps, requestId);
  }
}
