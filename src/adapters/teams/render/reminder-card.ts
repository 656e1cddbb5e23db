import { approverMentions, reminderPhrase } from '../../../app/chat/phrases/reminder-phrase.ts';
import type { ApprovalReminder } from '../../../ports/chat-platform.ts';
import { card, cut, paragraph, type AdaptiveCard } from './card-elements.ts';
import { plainText, textRuns } from './phrase-runs.ts';

/**
 * The reminder replied in an approval card's thread. Approvers are named in text runs (shown
 * verbatim, so a name cannot carry markup); Teams mentions would need each person's MRI.
 */
export function renderReminderCard(reminder: ApprovalReminder): AdaptiveCard {
  return { ...card([paragraph(...textRuns(phraseOf(reminder)))]), fallbackText: reminderSummary(reminder) };
}

export function reminderSummary(reminder: ApprovalReminder): string {
  return cut(plainText(phraseOf(reminder)), 200);
}

function phraseOf(reminder: ApprovalReminder) {
  return reminderPhrase(reminder.view, approverMentions(reminder.approvers.map(({ principal }) => ({ name: principal.displayName, userId: null }))));
}
