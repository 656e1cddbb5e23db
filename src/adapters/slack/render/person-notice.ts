import { noticePhrase } from '../../../app/chat/phrases/notice-phrase.ts';
import type { PersonNotice } from '../../../ports/chat-platform.ts';
import { formatDuration } from '../../../domain/duration.ts';
import { extendPolicyOf } from '../../../domain/scope.ts';
import type { SlackMessage } from './approval-message.ts';
import { ACTIONS } from './action-ids.ts';
import { actions, button, context, linkButton, section } from './blocks.ts';
import { escapeMrkdwn } from './escape.ts';
import { mrkdwn } from './phrase-mrkdwn.ts';

/**
 * The direct message a person gets for a notice. None of them carries a token: `grant_issued`
 * offers a button that reveals it in a private modal (see the README's "Token delivery").
 */
export function renderPersonNotice(notice: PersonNotice, command: string): SlackMessage {
  const { headline, state } = noticePhrase(notice);
  const said = mrkdwn(headline) + (state ? `\n${mrkdwn(state)}` : '');
  const { scope, grant, request } = notice.view;
  if (notice.kind === 'request_expired') {
    // One click sends the same scope, duration and reason again, as a new request checked anew.
    return { ...message(said), blocks: [section(said), actions(`elevate-again:${request.id}`, [button({ text: 'Request again', actionId: ACTIONS.requestAgain, value: request.id, style: 'primary' })])] };
  }
  if (notice.kind === 'verify_to_receive' || notice.kind === 'verify_to_approve') {
    const text = notice.kind === 'verify_to_receive' ? 'Verify to receive your token' : 'Verify to approve';
    return {
      ...message(said),
      blocks: [
        section(said),
        actions(`elevate-step-up:${notice.view.request.id}`, [linkButton({ text, actionId: ACTIONS.openLink, url: notice.link.url, style: 'primary' })]),
        context(`The link is for you alone and works once: do not forward it. Lost it? \`${command} verify ${escapeMrkdwn(notice.view.request.id)}\` sends a new one.`),
      ],
    };
  }
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
