import { buildApprovalView } from './build-request-view.ts';
import type { ChatDeps } from './chat-deps.ts';
import { postApprovalMessages, type PublishResult } from './publish-request.ts';
import { refreshRequestMessages } from './refresh-messages.ts';

/**
 * Shows an escalated request to its scope's escalation channels: the approval message is posted
 * there like in any reviewer channel (stored, so it is updated in place from then on), and the
 * messages already posted are refreshed, since they now list the escalation approvers too. The
 * escalation itself (who may approve) is already recorded on the request (`request.escalated`).
 */
export async function publishEscalation(deps: Pick<ChatDeps, 'store' | 'clock' | 'platforms' | 'logger' | 'refreshes'>, requestId: string): Promise<PublishResult> {
  const view = await buildApprovalView(deps.store, requestId, deps.clock.now());
  const already = new Set((await deps.store.listPostedMessages(requestId)).map((m) => `${m.platform}:${m.channelId}`));
  const channels = (view.scope.escalation?.channels ?? []).filter((c) => !already.has(`${c.platform}:${c.channelId}`));
  const result = view.request.status === 'pending' ? await postApprovalMessages(deps, view, channels, 'escalation') : { posted: [], failed: [], skipped: [] };
  await refreshRequestMessages(deps, requestId);
  deps.logger.info({ request_id: requestId, posted: result.posted.length, failed: result.failed.length, skipped: result.skipped.length }, 'escalated request published');
  return result;
}
