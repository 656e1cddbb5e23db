import { formatDuration } from '../../../domain/duration.ts';
import type { RequestView } from '../../../ports/chat-platform.ts';
import { code, date, icon, text, type Phrase } from './parts.ts';

/**
 * What reviewers weigh for an extension, in one line: the grant it extends and when that one
 * ends, and what approving makes of it. Null for a new elevation. The times are dates, so the
 * line stays true however long the message stays up.
 */
export function extensionPhrase(view: RequestView): Phrase | null {
  const extension = view.extension;
  if (!extension) return null;
  const { grant } = extension;
  if (view.grant && view.grant.status !== 'issue_failed') {
    return [icon('ending'), text(' Extends grant '), code(grant.id), text(` by ${formatDuration(view.request.durationSec)}: the new grant ends `), date(view.grant.endsAt), text(`, ${formatDuration(extension.totalSec)} in total.`)];
  }
  const running = grant.status === 'active' ? [text(' (it ends '), date(grant.endsAt), text(')')] : [text(` (it has ended: ${grant.status})`)];
  return [
    icon('ending'),
    text(' Extends grant '),
    code(grant.id),
    ...running,
    text(` by ${formatDuration(view.request.durationSec)}: the new grant would end `),
    date(extension.endsAt),
    text(`, ${formatDuration(extension.totalSec)} in total.`),
  ];
}
