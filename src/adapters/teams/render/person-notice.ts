import { noticePhrase } from '../../../app/chat/phrases/notice-phrase.ts';
import type { PersonNotice } from '../../../ports/chat-platform.ts';
import { formatDuration } from '../../../domain/duration.ts';
import { extendPolicyOf } from '../../../domain/scope.ts';
import { card, execute, ownText, paragraph, run, type AdaptiveCard } from './card-elements.ts';
import { plainText, textRuns } from './phrase-runs.ts';
import { VERBS } from './verbs.ts';

export { noticeSummary } from '../../../app/chat/phrases/notice-phrase.ts';

/**
 * The card a person gets in their 1:1 chat with the bot for a notice. None carries a token:
 * `grant_issued` offers "Show token", which opens a dialog (task module) only the requester sees
 * and that is not part of the chat's history (see the README's "Token delivery in Teams").
 */
export function renderPersonNoticeCard(notice: PersonNotice): AdaptiveCard {
  const { headline, state } = noticePhrase(notice);
  const body = [paragraph(...textRuns(headline))];
  // A decision is the news itself, so its state stands out; after an ending it is background.
  if (state) body.push(paragraph(run(plainText(state), { bold: notice.kind === 'request_decided' })));
  const { grant, request } = notice.view;
  // One click sends the same scope, duration and reason again, as a new request checked anew.
  if (notice.kind === 'request_expired') return card(body, [execute('Request again', VERBS.requestAgain, { requestId: request.id }, 'positive')]);
  if (notice.kind === 'verify_to_receive' || notice.kind === 'verify_to_approve') {
    const title = notice.kind === 'verify_to_receive' ? 'Verify to receive your token' : 'Verify to approve';
    return card(
      [...body, ownText(`The link is for you alone and works once: do not forward it. Lost it? Send \`verify ${notice.view.request.id}\` for a new one.`, { isSubtle: true, size: 'Small' })],
      [{ type: 'Action.OpenUrl', title, url: notice.link.url, style: 'positive' }],
    );
  }
  if (notice.kind !== 'grant_issued' || !grant) return card(body);
  return card(
    [...body, ownText('The token opens in a private dialog only you can see; it is never posted in a conversation.', { isSubtle: true, size: 'Small' })],
    [
      // task/fetch opens a dialog whose content is the invoke response: shown to the clicker only, kept nowhere.
      { type: 'Action.Submit', title: 'Show token', style: 'positive', data: { msteams: { type: 'task/fetch' }, verb: VERBS.revealToken, grantId: grant.id } },
      { type: 'Action.Execute', title: 'I’m done — end it now', verb: VERBS.endGrant, data: { grantId: grant.id } },
      ...(extendPolicyOf(notice.view.scope).allowed
        ? [{ type: 'Action.Execute', title: `Extend by ${formatDuration(notice.view.scope.defaultDurationSec)}`, verb: VERBS.extendGrant, data: { grantId: grant.id } }]
        : []),
    ],
  );
}
