import type { PersonNotice } from '../../ports/chat-platform.ts';
import { describeError } from '../describe-error.ts';
import type { ChatDeps } from './chat-deps.ts';

type NoticeDeps = Pick<ChatDeps, 'store' | 'platforms' | 'logger' | 'notices'>;

/**
 * The key under which everything said to one person about one request is queued: notices, and
 * the reply that confirms the request (see `submitRequest`). One queue per pair keeps them in the
 * order of the events even when two flows (the requester's command, an approver's click) run at
 * once; people and requests stay independent of each other.
 */
export function noticeKey(principalId: string, requestId: string): string {
  return JSON.stringify([principalId, requestId]);
}

/**
 * Sends a private notice to a principal on every configured platform where they have a linked
 * chat identity, after whatever was queued before it for this person and request. Returns how
 * many were delivered; failures are logged, never thrown, because the state change the notice
 * reports is already recorded. Never call it from a task already queued under the same key: it
 * would wait for itself.
 */
export function notifyPrincipal(deps: NoticeDeps, principalId: string, notice: PersonNotice): Promise<number> {
  return deps.notices.run(noticeKey(principalId, notice.view.request.id), () => deliver(deps, principalId, notice));
}

/**
 * {@link notifyPrincipal} for a notice that is read from the store only when its turn comes: its
 * place in the person's queue is taken now, so it still precedes what is queued after this call,
 * while the reads it needs wait until they are due (and no longer delay the caller).
 */
export function notifyPrincipalInTurn(deps: NoticeDeps, principalId: string, requestId: string, notice: () => Promise<PersonNotice>): Promise<number> {
  return deps.notices.run(noticeKey(principalId, requestId), async () => deliver(deps, principalId, await notice()));
}

async function deliver(deps: NoticeDeps, principalId: string, notice: PersonNotice): Promise<number> {
  const identities = await deps.store.listIdentities(principalId);
  let delivered = 0;
  for (const identity of identities) {
    const platform = deps.platforms.get(identity.platform);
    if (!platform) continue;
    try {
      await platform.notifyPerson(identity.userId, notice);
      delivered += 1;
    } catch (error) {
      deps.logger.warn(
        { err: describeError(error), platform: identity.platform, notice: notice.kind, request_id: notice.view.request.id },
        'could not deliver a private notice',
      );
    }
  }
  return delivered;
}
