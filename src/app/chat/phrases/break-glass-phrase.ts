import { formatDuration } from '../../../domain/duration.ts';
import type { ElevationRequest } from '../../../domain/request.ts';
import type { RequestView } from '../../../ports/chat-platform.ts';
import { displayName } from '../request-view-facts.ts';
import { code, date, icon, strong, text, type Phrase } from './parts.ts';

/**
 * Where a break-glass grant's after-the-fact review stands, for its messages; null for any other
 * request.
 */
export function breakGlassPhrase(view: RequestView, now?: Date): Phrase | null {
  const review = view.request.breakGlass;
  if (!review) return null;
  const who = view.requester.displayName;
  if (review.verdict === 'flagged') {
    return [icon('warning'), text(' '), strong('FLAGGED'), text(` by ${displayName(view, review.reviewedBy ?? '')} `), date(review.reviewedAt!), ...(review.note ? [text(`: ${review.note}`)] : [])];
  }
  if (review.verdict === 'acknowledged') {
    return [icon('approved'), text(' '), strong('Acknowledged'), text(` by ${displayName(view, review.reviewedBy ?? '')} `), date(review.reviewedAt!), ...(review.note ? [text(`: ${review.note}`)] : [])];
  }
  const overdue = review.remindedAt !== null || (now !== undefined && now.getTime() >= review.dueAt.getTime());
  return [
    icon('warning'),
    text(' '),
    strong('BREAK-GLASS'),
    text(` — ${who} took this without approval. An approver (not ${who}) must acknowledge or flag it by `),
    date(review.dueAt),
    ...(overdue ? [text('; '), strong('the review is overdue')] : []),
    text('.'),
  ];
}

/** What the requester of a break-glass is told at once. */
export function breakGlassConfirmationPhrase(request: ElevationRequest, scopeName: string, channels: number): Phrase {
  return [
    icon('warning'),
    text(' '),
    strong('Break-glass'),
    text(': you have '),
    strong(scopeName),
    text(` for ${formatDuration(request.durationSec)} (`),
    code(request.id),
    text(`) without approval. ${channels === 1 ? 'One channel was' : `${channels} channels were`} told, and an approver will review it by `),
    date(request.breakGlass!.dueAt),
    text(request.status === 'verifying' ? '. Verify with a multi-factor sign-in first: the link is in a direct message.' : '. Your token is waiting in a direct message.'),
  ];
}
