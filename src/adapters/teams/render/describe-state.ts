import { displayName } from '../../../app/chat/request-view-facts.ts';
import { statePhrase } from '../../../app/chat/phrases/state-phrase.ts';
import type { RequestView } from '../../../ports/chat-platform.ts';
import { plainText } from './phrase-runs.ts';

export function nameOf(view: RequestView, principalId: string): string {
  return displayName(view, principalId);
}

/** Where the request stands now, with who and when, as plain text (shown in a `TextRun`, so names and notes need no escaping). */
export function describeState(view: RequestView): string {
  return plainText(statePhrase(view));
}
