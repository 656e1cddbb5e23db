import { displayName } from '../../../app/chat/request-view-facts.ts';
import { statePhrase } from '../../../app/chat/phrases/state-phrase.ts';
import type { RequestView } from '../../../ports/chat-platform.ts';
import { escapeMrkdwn } from './escape.ts';
import { mrkdwn } from './phrase-mrkdwn.ts';

export function nameOf(view: RequestView, principalId: string): string {
  return escapeMrkdwn(displayName(view, principalId));
}

/** One line that says where the request stands now, with who and when. Escaped. */
export function describeState(view: RequestView): string {
  return mrkdwn(statePhrase(view));
}
