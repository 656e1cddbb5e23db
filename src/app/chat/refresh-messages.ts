import type { RequestView } from '../../ports/chat-platform.ts';
import { describeError } from '../describe-error.ts';
import { buildApprovalView } from './build-request-view.ts';
import type { ChatDeps } from './chat-deps.ts';
import { messageKey } from './message-refreshes.ts';

/**
 * `decided`: the view of a decided request that the caller is reading as it commits (see
 * `decideRequest`), shown instead of reading it again; the refresh takes its turn at once, so any
 * change after that commit is shown by a later refresh. If that read fails, the store is read.
 *
 * Re-renders every posted approval message of a request, on every configured platform, from the
 * state in the store at the moment it runs. A message that cannot be updated (deleted, channel
 * archived) is logged and skipped: the state change it reports is already recorded. A message
 * that already shows this state is not updated again (one update per state change).
 */
export async function refreshRequestMessages(deps: Pick<ChatDeps, 'store' | 'clock' | 'platforms' | 'logger' | 'refreshes'>, requestId: string, decided?: Promise<RequestView>): Promise<void> {
  await deps.refreshes.run(requestId, async () => {
    const messages = await deps.store.listPostedMessages(requestId);
    if (messages.length === 0) return;
    // A decided request's approval view is its view without the decision's context.
    const known = decided ? await decided.catch(() => null) : null;
    const view = known && known.request.status !== 'pending' ? { ...known, context: null } : await buildApprovalView(deps.store, requestId, deps.clock.now());
    const state = JSON.stringify(view);
    const log = deps.logger.child({ request_id: requestId });
    await Promise.all(
      messages.map(async (message) => {
        const platform = deps.platforms.get(message.platform);
        if (!platform) return;
        const key = messageKey(message);
        if (!deps.refreshes.changed(key, state)) return;
        try {
          await platform.updateApprovalMessage(message, view);
          deps.refreshes.remember(key, state);
        } catch (error) {
          log.warn({ err: describeError(error), platform: message.platform, channel: message.channelId }, 'could not update an approval message');
        }
      }),
    );
  });
}
