import { formatDuration } from '../../../domain/duration.ts';
import type { RequestView } from '../../../ports/chat-platform.ts';
import { code, date, icon, mention, strong, text, type Phrase } from './parts.ts';

/**
 * The one reminder an undecided request gets under its approval message. `approvers` are who may
 * still act (eligible, not the requester, not yet reviewed); each platform names them its own way.
 */
export function reminderPhrase(view: RequestView, approvers: Phrase): Phrase {
  const { request, scope, requester } = view;
  return [
    icon('pending'),
    text(' '),
    strong('Reminder:'),
    text(` ${requester.displayName} is still waiting for a decision on `),
    strong(scope.name),
    text(` for ${formatDuration(request.durationSec)} (`),
    code(request.id),
    text('). It expires '),
    date(request.pendingUntil),
    text('. Who can decide: '),
    ...approvers,
    text('.'),
  ];
}

/** Who may still decide, as mentions separated by commas, or a word for nobody. */
export function approverMentions(people: readonly { name: string; userId: string | null }[]): Phrase {
  if (people.length === 0) return [text('nobody (ask an admin)')];
  return people.flatMap((person, i) => (i === 0 ? [mention(person.name, person.userId)] : [text(', '), mention(person.name, person.userId)]));
}
