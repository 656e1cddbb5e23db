import { noticePhrase } from '../../../app/chat/phrases/notice-phrase.ts';
import type { PersonNotice } from '../../../ports/chat-platform.ts';
import { formatDuration } from '../../../domain/duration.ts';
import { extendPolicyOf } from '../../../domain/scope.ts';
import type { SlackMessage } from './approval-message.ts';
import { ACTIONS } from './action-ids.ts';
import { actions, button, context, section } from './blocks.ts';
import { escapeMrkdwn } from './escape.ts';
import { mrkdwn } from './phrase-mrkdwn.ts';

/**
 * The direct message a person gets for a notice. None of them carries a token: `grant_issued`
 * offers a button that reveals it in a private modal (see the README's "Token delivery").
 */
export function renderPersonNotice(notice: PersonNotice, command: string): SlackMessage {
  const { headline, state } = noticePhrase(notice);
  const said = mrkdwn(headline) + (state ? `\n${mrkdwn(state)}` : '');
  const { scope, grant } = notice.view;
  if (notice.kind !== 'grant_issued' || !grant) return message(said);
  const extendable = extendPolicyOf(scope).allowed;
  return {
    text: `Your ${escapeMrkdwn(scope.name)} grant is active until ${grant.endsAt.toISOString()}.`,
    blocks: [
      section(said),
      actions(`elevate-grant:${grant.id}`, [
        button({ text: 'Show token', actionId: ACTIONS.revealToken, value: grant.id, style: 'primary' }),
        button({ text: 'I’m done — end it now', actionId: ACTIONS.endGrant, value: grant.id }),
        ...(extendable ? [button({ text: `Extend by ${formatDuration(scope.defaultDurationSec)}`, actionId: ACTIONS.extendGrant, value: grant.id })] : []),
      ]),
      context(
        `The token opens in a private window only you can see; it is never posted in a conversation. End early with \`${command} done ${escapeMrkdwn(grant.id)}\`` +
          (extendable ? `; ask for more time with \`${command} extend ${escapeMrkdwn(grant.id)} <duration> [reason]\`.` : '.'),
      ),
    ],
  };
}

function message(mrkdwn: string): SlackMessage {
  return { text: mrkdwn.replace(/<!date\^\d+\^[^|]*\|([^>]*)>/g, '$1'), blocks: [section(mrkdwn)] };
}
