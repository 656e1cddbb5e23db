import { formatDuration } from '../../../domain/duration.ts';
import type { PersonNotice } from '../../../ports/chat-platform.ts';
import { card, ownText, paragraph, run, utc, type AdaptiveCard } from './card-elements.ts';
import { describeState } from './describe-state.ts';
import { VERBS } from './verbs.ts';

/**
 * The card a person gets in their 1:1 chat with the bot for a notice. None carries a token:
 * `grant_issued` offers "Show token", which opens a dialog (task module) only the requester sees
 * and that is not part of the chat's history (see the README's "Token delivery in Teams").
 */
export function renderPersonNoticeCard(notice: PersonNotice): AdaptiveCard {
  const { request, scope, grant } = notice.view;
  const what = [run(scope.name, { bold: true }), ` for ${formatDuration(request.durationSec)} (${request.id})`];
  switch (notice.kind) {
    case 'request_submitted':
      return card([paragraph('Your request for ', ...what, ' was sent to the reviewers.')]);
    case 'request_decided':
      return card([paragraph('Your request for ', ...what, ' was decided.'), paragraph(run(describeState(notice.view), { bold: true }))]);
    case 'request_expired':
      return card([paragraph('⌛ Nobody reviewed your request for ', ...what, ' in time, so it expired. Send a new one if you still need access.')]);
    case 'grant_failed':
      return card([paragraph('⚠ Your request for ', ...what, ' was approved, but the token could not be issued: ', run(notice.reason))]);
    case 'grant_ended':
      return card([paragraph('🔒 Your grant for ', ...what, ' has ended and its token was revoked.'), paragraph(run(describeState(notice.view)))]);
    case 'grant_issued': {
      if (!grant) return card([paragraph('Your request for ', ...what, ' was approved.')]);
      return card(
        [
          paragraph('🔑 Your grant for ', ...what, ` is active until ${utc(grant.endsAt)}.`),
          ownText('The token opens in a private dialog only you can see; it is never posted in a conversation.', { isSubtle: true, size: 'Small' }),
        ],
        [
          // task/fetch opens a dialog whose content is the invoke response: shown to the clicker only, kept nowhere.
          { type: 'Action.Submit', title: 'Show token', style: 'positive', data: { msteams: { type: 'task/fetch' }, verb: VERBS.revealToken, grantId: grant.id } },
          { type: 'Action.Execute', title: 'I’m done — end it now', verb: VERBS.endGrant, data: { grantId: grant.id } },
        ],
      );
    }
  }
}

/** Notification fallback text of a notice card (what a push notification shows). No token, no reason. */
export function noticeSummary(notice: PersonNotice): string {
  const { request, scope } = notice.view;
  const what = `${scope.name} for ${formatDuration(request.durationSec)}`;
  switch (notice.kind) {
    case 'request_submitted':
      return `Your request for ${what} was sent to the reviewers.`;
    case 'request_decided':
      return `Your request for ${what} was decided.`;
    case 'request_expired':
      return `Your request for ${what} expired.`;
    case 'grant_failed':
      return `Your ${what} grant could not be issued.`;
    case 'grant_ended':
      return `Your ${what} grant has ended.`;
    case 'grant_issued':
      return `Your ${what} grant is active.`;
  }
}
