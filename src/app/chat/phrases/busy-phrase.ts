import { icon, text, type Phrase } from './parts.ts';

/**
 * The answer when a chat adapter's follow-up queue is full: given at once, before anything is
 * stored, so the person knows nothing happened and to try again (a request, a click, a form).
 */
export function busyPhrase(options: { icon?: boolean } = {}): Phrase {
  const words = text('Elevate is handling a burst of requests right now and cannot take this one; nothing was stored. Please try again in a minute.');
  return options.icon === false ? [words] : [icon('pending'), text(' '), words];
}

/** The answer to a Teams request form whose request is queued behind a burst: its outcome follows in the chat. */
export function queuedRequestPhrase(): Phrase {
  return [icon('pending'), text(' Your request is queued behind a burst of others. I will tell you here once it has reached the reviewers.')];
}
