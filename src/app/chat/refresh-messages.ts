import { describeError } from '../describe-error.ts';
import { buildRequestView } from './build-request-view.ts';
import type { ChatDeps } from './chat-deps.ts';

/**
 * Re-renders every posted approval message of a request, on every configured platform, from the
 * state in the store at the moment it runs. A message that cannot be updated (deleted, channel
 * archived) is logged and skipped: the state change it reports is already recorded.
 */
export async function refreshRequestMessages(deps: Pick<ChatDeps, 'store' | 'platforms' | 'logger' | 'refreshes'>, requestId: string): Promise<void> {
  await deps.refreshes.run(requestId, async () => {
    const messages = await deps.store.listPostedMessages(requestId);
    if (messages.length === 0) return;
    const view = await buildRequestView(deps.store, requestId);
    const log = deps.logger.child({ request_id: requestId });
    await Promise.all(
      messages.map(async (message) => {
        const platform = deps.platforms.get(message.platform);
        if (!platform) return;
        try {
          await platform.updateApprovalMessage(message, view);
        } catch (error) {
          log.warn({ err: describeError(error), platform: message.platform, channel: message.channelId }, 'could not update an approval message');
        }
      }),
    );
  });
}
