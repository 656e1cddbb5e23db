import { formatDuration } from '../../../domain/duration.ts';
import type { PersonNotice } from '../../../ports/chat-platform.ts';
import { code, date, icon, strong, text, type Phrase } from './parts.ts';
import { statePhrase } from './state-phrase.ts';
import { VERIFICATION_EXPIRED_NOTE } from '../../expire-pending-requests.ts';

/** A notice to a person in words: what happened, and (for a decision or an ending) the state it left. */
export interface NoticePhrase {
  headline: Phrase;
  state: Phrase | null;
}

/**
 * The one wording of every notice a person gets. None carries a token: for `grant_issued` the
 * platform adds its own way to reveal it privately, and a way to end the grant early.
 */
export function noticePhrase(notice: PersonNotice): NoticePhrase {
  const { request, scope, grant } = notice.view;
  const what: Phrase = request.extendsGrantId
    ? [text('an extension of '), strong(scope.name), text(` by ${formatDuration(request.durationSec)} (`), code(request.id), text(')')]
    : [strong(scope.name), text(` for ${formatDuration(request.durationSec)} (`), code(request.id), text(')')];
  const only = (headline: Phrase): NoticePhrase => ({ headline, state: null });
  switch (notice.kind) {
    case 'request_submitted':
      return only([text('Your request for '), ...what, text(' was sent to the reviewers.')]);
    case 'request_decided':
      return { headline: [text('Your request for '), ...what, text(' was decided.')], state: statePhrase(notice.view) };
    case 'request_expired':
      if (request.decisionNote === VERIFICATION_EXPIRED_NOTE) {
        return only([icon('expired'), text(' Your request for '), ...what, text(' was approved, but you did not verify in time, so it expired and no token was issued. Send a new one if you still need access.')]);
      }
      if (request.extendsGrantId) return only([icon('expired'), text(' Your request for '), ...what, text(` expired: ${request.decisionNote ?? 'nobody approved it in time.'}`)]);
      return only([icon('expired'), text(' Nobody reviewed your request for '), ...what, text(' in time, so it expired. Send a new one if you still need access.')]);
    case 'grant_failed':
      return only([icon('warning'), text(' Your request for '), ...what, text(` was approved, but the token could not be issued: ${notice.reason}`)]);
    case 'grant_ended':
      return { headline: [icon('lock'), text(' Your grant for '), ...what, text(' has ended and its token was revoked.')], state: statePhrase(notice.view) };
    case 'grant_issued':
      if (!grant) return only([text('Your request for '), ...what, text(' was approved.')]);
      return only([icon('key'), text(' Your grant for '), ...what, text(' is active until '), date(grant.endsAt), text('.')]);
    case 'verify_to_receive':
      return only([
        icon('lock'),
        text(' Your request for '),
        ...what,
        text(' is approved. Verify with a multi-factor sign-in to receive your token; the window starts then. The link works once, until '),
        date(notice.link.expiresAt),
        text('.'),
      ]);
    case 'verify_to_approve': {
      const requester = notice.view.requester.displayName;
      return only([icon('lock'), text(' Your approval of '), ...what, text(` for ${requester} counts once you verify with a multi-factor sign-in. The link works once, until `), date(notice.link.expiresAt), text('.')]);
    }
  }
}

/** A notice's one-line summary, for push notifications and fallbacks: no token, no reason, no markup. */
export function noticeSummary(notice: PersonNotice): string {
  const { request, scope } = notice.view;
  const plain = `${scope.name} for ${formatDuration(request.durationSec)}`;
  const what = request.extendsGrantId ? `an extension of ${scope.name} by ${formatDuration(request.durationSec)}` : plain;
  const grantWhat = request.extendsGrantId ? scope.name : plain;
  switch (notice.kind) {
    case 'request_submitted':
      return `Your request for ${what} was sent to the reviewers.`;
    case 'request_decided':
      return `Your request for ${what} was decided.`;
    case 'request_expired':
      return `Your request for ${what} expired.`;
    case 'grant_failed':
      return `Your ${grantWhat} grant could not be issued.`;
    case 'grant_ended':
      return `Your ${grantWhat} grant has ended.`;
    case 'grant_issued':
      return `Your ${grantWhat} grant is active.`;
    case 'verify_to_receive':
      return `Verify to receive your ${grantWhat} token.`;
    case 'verify_to_approve':
      return `Verify to approve ${what}.`;
  }
}
