import { formatDuration } from '../../../domain/duration.ts';
import type { RequestView } from '../../../ports/chat-platform.ts';
import { text, type Phrase } from './parts.ts';
import { currentStatePhrase } from './state-phrase.ts';

/**
 * The approval message in one line, for where a platform shows a message without its body:
 * Slack's top-level `text` (notifications, screen readers), Teams' activity summary and the
 * card's fallback text. Its state is the same phrase the message's body ends with.
 */
export function approvalSummaryPhrase(view: RequestView): Phrase {
  const { requester, scope, request } = view;
  return [text(`${requester.displayName} asks for ${scope.name} for ${formatDuration(request.durationSec)} — `), ...currentStatePhrase(view)];
}
