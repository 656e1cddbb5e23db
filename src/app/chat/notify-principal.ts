import type { PersonNotice } from '../../ports/chat-platform.ts';
import { describeError } from '../describe-error.ts';
import type { ChatDeps } from './chat-deps.ts';

/**
 * Sends a private notice to a principal on every configured platform where they have a linked
 * chat identity. Returns how many were delivered; failures are logged, never thrown, because the
 * state change the notice reports is already recorded.
 */
export async function notifyPrincipal(deps: Pick<ChatDeps, 'store' | 'platforms' | 'logger'>, principalId: string, notice: PersonNotice): Promise<number> {
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
