import { approverMentions, reminderPhrase } from '../../../app/chat/phrases/reminder-phrase.ts';
import type { ApprovalReminder } from '../../../ports/chat-platform.ts';
import type { SlackMessage } from './approval-message.ts';
import { section } from './blocks.ts';
import { truncate } from './escape.ts';
import { mrkdwn } from './phrase-mrkdwn.ts';

/** The reminder posted in the thread of an approval message: approvers who can act are mentioned. */
export function renderReminder(reminder: ApprovalReminder): SlackMessage {
  const people = reminder.approvers.map(({ principal, userId }) => ({ name: principal.displayName, userId }));
  const phrase = reminderPhrase(reminder.view, approverMentions(people));
  return { text: truncate(mrkdwn(phrase, { dates: 'text' }), 3000), blocks: [section(mrkdwn(phrase))] };
}
