import type { PostedMessage } from '../../domain/principal.ts';
import { KeyedSerializer } from '../../shared/keyed-serializer.ts';

/** One posted message, across platforms and channels. */
export function messageKey(message: Pick<PostedMessage, 'platform' | 'channelId' | 'messageId'>): string {
  return `${message.platform}/${message.channelId}/${message.messageId}`;
}

/** How many messages' last shown states are remembered; the oldest are forgotten first. */
const REMEMBERED_MESSAGES = 10_000;

/**
 * Refreshes of approval messages, serialised per request (see `KeyedSerializer`), remembering
 * what each message last showed. Several paths refresh after one decision (the clicking flow, the
 * issuing flow, the sweeper's reconciliation finishing the same grant), and each used to cost a
 * `chat.update` even when the state had not changed since the last one. With this, a message is
 * updated once per state change: a refresh whose view equals the one last shown is skipped.
 * Per process, bounded; a forgotten message is simply updated again.
 */
export class MessageRefreshes extends KeyedSerializer {
  private readonly shown = new Map<string, string>();

  /** True when `state` differs from what the message last showed. */
  changed(messageKey: string, state: string): boolean {
    return this.shown.get(messageKey) !== state;
  }

  /** Records what the message shows now that its update succeeded. */
  remember(messageKey: string, state: string): void {
    this.shown.delete(messageKey);
    this.shown.set(messageKey, state);
    if (this.shown.size > REMEMBERED_MESSAGES) this.shown.delete(this.shown.keys().next().value!);
  }
}
