import type { ChatPlatform } from '../../domain/principal.ts';
import type { ChannelRef } from '../../domain/scope.ts';
import { describeError } from '../describe-error.ts';
import type { RequestView } from '../../ports/chat-platform.ts';
import { buildApprovalView, buildRequestView } from './build-request-view.ts';
import type { ChatDeps } from './chat-deps.ts';
import { messageKey } from './message-refreshes.ts';
import { refreshRequestMessages } from './refresh-messages.ts';

export interface PublishResult {
  posted: { platform: ChatPlatform; channelId: string }[];
  /** Channels that could not be posted to (e.g. the bot is not in the channel), for the requester's reply. */
  failed: { platform: ChatPlatform; channelId: string; reason: string }[];
  /** Mapped channels on platforms this instance does not run. */
  skipped: { platform: ChatPlatform; channelId: string }[];
}

/**
 * Posts the approval message of a new pending request in every reviewer channel mapped to its
 * scope, on every configured platform, and stores each posted message's id (audited as
 * `message.posted`) so later changes update it in place.
 */
export async function publishRequest(deps: ChatDeps, requestId: string, options: { alsoTo?: readonly ChannelRef[] } = {}): Promise<PublishResult> {
  const { store, clock } = deps;
  const log = deps.logger.child({ request_id: requestId });
  const view = await buildApprovalView(store, requestId, clock.now());
  const mappings = await store.listChannelMappings({ scopeName: view.request.scopeName });
  const channels = uniqueChannels([...mappings.map((m) => ({ platform: m.platform, channelId: m.channelId })), ...(options.alsoTo ?? [])]);
  const result = await postApprovalMessages(deps, view, channels);
  // A reviewer may have clicked in the moment between posting and storing the id: catch up.
  const now = await buildRequestView(store, requestId);
  if (now.request.status !== view.request.status || now.reviews.length !== view.reviews.length) await refreshRequestMessages(deps, requestId);
  log.info({ posted: result.posted.length, failed: result.failed.length, skipped: result.skipped.length }, 'approval message published');
  return result;
}

/**
 * Posts the request's message, as it is now, as a new message in each channel, and stores its id
 * in place of any earlier one there (later changes update the newest): the loud re-posts of a
 * break-glass grant (a flag, an overdue review).
 */
export async function postToChannels(deps: Pick<ChatDeps, 'store' | 'clock' | 'platforms' | 'logger' | 'refreshes'>, requestId: string, channels: readonly ChannelRef[]): Promise<PublishResult> {
  return postApprovalMessages(deps, await buildApprovalView(deps.store, requestId, deps.clock.now()), channels);
}

/**
 * Posts the approval message of `view` in each channel, on the platforms this instance runs, and
 * stores each posted message's id (audited as `message.posted`) so later changes update it in
 * place. `reason` goes into the audit event (an escalation says so).
 */
export async function postApprovalMessages(
  deps: Pick<ChatDeps, 'store' | 'clock' | 'platforms' | 'logger' | 'refreshes'>,
  view: RequestView,
  channels: readonly { platform: ChatPlatform; channelId: string }[],
  reason: 'review' | 'escalation' = 'review',
): Promise<PublishResult> {
  const { store, clock, platforms } = deps;
  const requestId = view.request.id;
  const log = deps.logger.child({ request_id: requestId });
  const result: PublishResult = { posted: [], failed: [], skipped: [] };
  for (const channel of channels) {
    const where = { platform: channel.platform, channelId: channel.channelId };
    const platform = platforms.get(channel.platform);
    if (!platform) {
      result.skipped.push(where);
      continue;
    }
    try {
      const { messageId } = await platform.postApprovalMessage(where.channelId, view);
      await store.transaction(async (tx) => {
        await tx.putPostedMessage({ requestId, platform: where.platform, channelId: where.channelId, messageId, postedAt: clock.now() });
        await tx.appendAudit({ type: 'message.posted', actor: 'system', requestId, data: { ...where, messageId, ...(reason === 'escalation' ? { escalation: true } : {}) } });
      });
      deps.refreshes.remember(messageKey({ ...where, messageId }), JSON.stringify(view));
      result.posted.push(where);
    } catch (error) {
      const described = describeError(error);
      log.warn({ err: described, ...where }, 'could not post the approval message');
      result.failed.push({ ...where, reason: String(described.message ?? 'error') });
    }
  }
  return result;
}

function uniqueChannels(channels: readonly ChannelRef[]): ChannelRef[] {
  const seen = new Map(channels.map((c) => [`${c.platform}:${c.channelId}`, c]));
  return [...seen.values()];
}
