import type { ChatPlatform, Principal } from '../../domain/principal.ts';
import { describeError } from '../describe-error.ts';
import { buildRequestView } from './build-request-view.ts';
import type { ChatDeps } from './chat-deps.ts';

/**
 * Says the one reminder of an undecided request under each of its posted approval messages, on
 * every platform this instance runs, naming who may still decide: the eligible approvers (the
 * escalation approvers too, once escalated) who have not reviewed it yet. The reminder is already
 * recorded (`request.reminded`); a message that cannot be replied to is logged and skipped.
 */
export async function remindReviewers(deps: Pick<ChatDeps, 'store' | 'platforms' | 'logger'>, requestId: string): Promise<void> {
  const view = await buildRequestView(deps.store, requestId);
  if (view.request.status !== 'pending') return;
  const reviewed = new Set(view.reviews.map((review) => review.approverId));
  const approvers = view.eligibleApprovers.filter((person) => !reviewed.has(person.id));
  const identities = new Map(await Promise.all(approvers.map(async (person) => [person.id, await deps.store.listIdentities(person.id)] as const)));
  const on = (platform: ChatPlatform) => approvers.map((principal: Principal) => ({ principal, userId: identities.get(principal.id)?.find((i) => i.platform === platform)?.userId ?? null }));
  const log = deps.logger.child({ request_id: requestId });
  for (const message of await deps.store.listPostedMessages(requestId)) {
    const platform = deps.platforms.get(message.platform);
    if (!platform) continue;
    try {
      await platform.postReminder(message, { view, approvers: on(message.platform) });
    } catch (error) {
      log.warn({ err: describeError(error), platform: message.platform, channel: message.channelId }, 'could not post a reminder under an approval message');
    }
  }
}
