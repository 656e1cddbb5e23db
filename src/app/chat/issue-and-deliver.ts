import type { Grant } from '../../domain/grant.ts';
import type { ElevationRequest } from '../../domain/request.ts';
import { issueGrant, type IssueGrantHooks, type IssuingIntent } from '../issue-grant.ts';
import { buildRequestView } from './build-request-view.ts';
import type { RequestView } from '../../ports/chat-platform.ts';
import type { ChatDeps } from './chat-deps.ts';
import { describeFailureForPerson } from './describe-failure.ts';
import { notifyPrincipal } from './notify-principal.ts';
import { refreshRequestMessages } from './refresh-messages.ts';

/**
 * An extension's issuance ends the grant it extends: that grant's approval messages show it.
 * `known`: the request as the caller already holds it (read when not given).
 */
async function refreshExtendedGrant(deps: ChatDeps, requestId: string, known?: ElevationRequest): Promise<void> {
  const request = known ?? (await deps.store.getRequest(requestId));
  const extended = request?.extendsGrantId ? await deps.store.getGrant(request.extendsGrantId) : null;
  if (extended) await refreshRequestMessages(deps, extended.requestId);
}

export interface IssueAndDeliverHooks extends IssueGrantHooks {
  /** The intent the approval already wrote (see `issueGrant`'s `opened`). */
  opened?: IssuingIntent;
  /**
   * The request's view with the grant just issued, from what the caller has already read since
   * the intent was recorded (null: none, read it again). Nothing but the grant changes between
   * the intent and the grant's activation, so this spares the grant's notice a second round of
   * reads while the requester waits for it.
   */
  viewWithGrant?(grant: Grant): Promise<RequestView | null>;
}

/**
 * After approval: exchanges the token, offers it to the requester privately (a `grant_issued`
 * notice carries no secret, only a way to reveal it: see `revealToken`), and shows the grant on
 * the approval messages. A failed exchange is told to the requester and shown on the messages.
 * Calling it twice for one request issues once (`issueGrant` is idempotent).
 *
 * `onExchangeStarting` is called once the intent is recorded, or, when issuance ends without an
 * exchange, before any notice of this flow: what a caller says there is said first.
 */
export async function issueAndDeliver(deps: ChatDeps, requestId: string, hooks: IssueAndDeliverHooks = {}): Promise<Grant | null> {
  let started = false;
  const starting = () => {
    if (started) return;
    started = true;
    hooks.onExchangeStarting?.();
  };
  try {
    const { grant, created } = await issueGrant(deps, requestId, { onExchangeStarting: starting }, hooks.opened);
    starting();
    if (created && grant.status === 'active') {
      const view = (await hooks.viewWithGrant?.(grant).catch(() => null)) ?? (await buildRequestView(deps.store, requestId));
      await notifyPrincipal(deps, view.request.requesterId, { kind: 'grant_issued', view });
    }
    return grant;
  } catch (error) {
    starting();
    const view = await buildRequestView(deps.store, requestId);
    await notifyPrincipal(deps, view.request.requesterId, { kind: 'grant_failed', view, reason: describeFailureForPerson(error) });
    return null;
  } finally {
    await refreshRequestMessages(deps, requestId);
    await refreshExtendedGrant(deps, requestId, hooks.opened?.request);
  }
}
