import { formatDuration } from '../../../domain/duration.ts';
import type { DecisionContext } from '../../../ports/chat-platform.ts';
import { code, date, icon, plural, strong, text, type Phrase } from './parts.ts';

/**
 * The context for the decision, one line each, in the one wording every platform shows: history
 * of this person with this scope, when they were last seen, usual hours, who holds it now, and
 * (for an extension) the grant it extends. Unusual facts lead with a warning icon.
 */
export function decisionContextLines(context: DecisionContext): Phrase[] {
  const lines: Phrase[] = [];
  if (context.extendsGrant) {
    const { grantId, endsAt, totalSec } = context.extendsGrant;
    lines.push([text('Extends grant '), code(grantId), text(', which ends '), date(endsAt), text(`; the total would be ${formatDuration(totalSec)}.`)]);
  }
  lines.push(
    context.firstRequestForScope
      ? [icon('warning'), text(' '), strong('First request'), text(' by this person for this scope.')]
      : [text(`${plural(context.requestsLast30Days, 'earlier request')} by this person for this scope in the last 30 days.`)],
  );
  lines.push(lastSeenLine(context.daysSinceLastSeen));
  if (context.usualHours) {
    const { start, end, outside } = context.usualHours;
    lines.push(outside ? [icon('warning'), text(' '), strong('Outside usual hours'), text(` (${start}–${end} UTC).`)] : [text(`Within usual hours (${start}–${end} UTC).`)]);
  }
  if (context.requesterHoldsUntil) lines.push([text('The requester already holds this scope until '), date(context.requesterHoldsUntil), text('.')]);
  lines.push(holdersLine(context.otherHolders));
  return lines;
}

function lastSeenLine(days: number | null): Phrase {
  if (days === null) return [icon('warning'), text(' '), strong('Never seen before'), text(': this is their first use of Elevate.')];
  if (days === 0) return [text('Last seen less than a day before this request.')];
  const line: Phrase = [text(`Last seen ${plural(days, 'day')} before this request.`)];
  return days >= 30 ? [icon('warning'), text(' '), ...line] : line;
}

function holdersLine(holders: DecisionContext['otherHolders']): Phrase {
  if (holders.total === 0) return [text('Nobody else holds this scope right now.')];
  const names = holders.shown.map((holder) => holder.displayName).join(', ');
  const more = holders.total - holders.shown.length;
  return [text(`Also holding it now (${holders.total}): ${names}${more > 0 ? ` and ${more} more` : ''}.`)];
}
