import { formatDuration } from '../../../domain/duration.ts';
import type { PersonNotice } from '../../../ports/chat-platform.ts';
import type { SlackMessage } from './approval-message.ts';
import { ACTIONS } from './action-ids.ts';
import { actions, button, context, section } from './blocks.ts';
import { describeState } from './describe-state.ts';
import { escapeMrkdwn, slackDate } from './escape.ts';

/**
 * The direct message a person gets for a notice. None of them carries a token: `grant_issued`
 * offers a button that reveals it in a private modal (see the README's "Token delivery").
 */
export function renderPersonNotice(notice: PersonNotice, command: string): SlackMessage {
  const { request, scope, grant } = notice.view;
  const what = `*${escapeMrkdwn(scope.name)}* for ${formatDuration(request.durationSec)} (\`${escapeMrkdwn(request.id)}\`)`;
  switch (notice.kind) {
    case 'request_submitted':
      return message(`Your request for ${what} was sent to the reviewers.`);
    case 'request_decided':
      return message(`Your request for ${what} was decided.\n${describeState(notice.view)}`);
    case 'request_expired':
      return message(`:hourglass: Nobody reviewed your request for ${what} in time, so it expired. Send a new one if you still need access.`);
    case 'grant_failed':
      return message(`:warning: Your request for ${what} was approved, but the token could not be issued: ${escapeMrkdwn(notice.reason)}`);
    case 'grant_ended':
      return message(`:lock: Your grant for ${what} has ended and its token was revoked.\n${describeState(notice.view)}`);
    case 'grant_issued': {
      if (!grant) return message(`Your request for ${what} was approved.`);
      return {
        text: `Your ${escapeMrkdwn(scope.name)} grant is active until ${grant.endsAt.toISOString()}.`,
        blocks: [
          section(`:key: Your grant for ${what} is active until ${slackDate(grant.endsAt)}.`),
          actions(`elevate-grant:${grant.id}`, [
            button({ text: 'Show token', actionId: ACTIONS.revealToken, value: grant.id, style: 'primary' }),
            button({ text: 'I’m done — end it now', actionId: ACTIONS.endGrant, value: grant.id }),
          ]),
          context(`The token opens in a private window only you can see; it is never posted in a conversation. End early with \`${command} done ${escapeMrkdwn(grant.id)}\`.`),
        ],
      };
    }
  }
}

function message(mrkdwn: string): SlackMessage {
  return { text: mrkdwn.replace(/<!date\^\d+\^[^|]*\|([^>]*)>/g, '$1'), blocks: [section(mrkdwn)] };
}
