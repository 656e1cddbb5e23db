import type { Actor } from '../../../app/actor.ts';
import type { ChatDeps } from '../../../app/chat/chat-deps.ts';
import type { SlackConfig } from '../../../config/slack.ts';
import type { Logger } from '../../../logging/logger.ts';
import type { FollowUpLanes } from '../../../shared/follow-up-lanes.ts';
import { describeError } from '../../../app/describe-error.ts';
import { busyPhrase } from '../../../app/chat/phrases/busy-phrase.ts';
import { mrkdwn } from '../render/phrase-mrkdwn.ts';
import type { SlackChatPlatform } from '../slack-chat-platform.ts';
import type { WebClient } from '../web-client.ts';

/** What every Bolt listener of the adapter needs. */
export interface SlackHandlerContext {
  deps: ChatDeps;
  config: SlackConfig;
  client: WebClient;
  platform: SlackChatPlatform;
  /** Follow-ups after the acknowledgement: new requests in one bounded lane, decisions in another. */
  work: FollowUpLanes;
  logger: Logger;
  actorFor(userId: string): Promise<Actor>;
}

/**
 * Tells one user something privately where they clicked: an ephemeral message in the channel
 * when there is one, otherwise a direct message.
 */
export async function tellUser(context: SlackHandlerContext, where: { userId: string; channelId: string | null | undefined }, text: string): Promise<void> {
  if (where.channelId) {
    await context.client.chat.postEphemeral({ channel: where.channelId, user: where.userId, text });
    return;
  }
  await context.platform.sendDirectMessage(where.userId, { text });
}

/** What a full follow-up lane answers, in Slack mrkdwn. */
export const BUSY_TEXT = mrkdwn(busyPhrase());
/** The same in a modal's field error, which is plain text (no emoji codes, nothing to escape). */
export const MODAL_BUSY = busyPhrase({ icon: false }).map((part) => (part.kind === 'text' ? part.text : '')).join('');

/** Where an interaction may be answered: Bolt's `respond` exists when the payload carried a `response_url`. */
type RespondFn = (message: { response_type: 'ephemeral'; replace_original: false; text: string }) => Promise<unknown>;

/**
 * Tells the person whose click a full lane refused that nothing happened and to try again: an
 * ephemeral reply through the interaction's `response_url` (no Web API call, so no rate limit to
 * wait for), or where the click had none (App Home), an ephemeral message or DM.
 */
export async function tellBusy(context: SlackHandlerContext, args: { respond?: unknown }, where: { userId: string; channelId: string | null | undefined }): Promise<void> {
  try {
    if (typeof args.respond === 'function') {
      await (args.respond as RespondFn)({ response_type: 'ephemeral', replace_original: false, text: BUSY_TEXT });
      return;
    }
    await tellUser(context, where, BUSY_TEXT);
  } catch (error) {
    context.logger.warn({ err: describeError(error) }, 'could not tell a person that Elevate is busy');
  }
}
