import { formatDuration } from '../../../domain/duration.ts';
import type { RequestView } from '../../../ports/chat-platform.ts';
import { VERIFICATION_EXPIRED_NOTE } from '../../expire-pending-requests.ts';
import { approvalsSoFar, approverIds, displayName, END_REASONS } from '../request-view-facts.ts';
import { date, icon, lineBreak, plural, strong, text, type Phrase } from './parts.ts';

/**
 * Where the request stands now, with who and when, and, once approved, where its grant stands.
 * The one wording of every state, shown in approval messages and notices on every platform.
 */
export function statePhrase(view: RequestView): Phrase {
  const grant = grantLine(view);
  return grant ? [...requestPhrase(view), lineBreak, ...grant] : requestPhrase(view);
}

/**
 * The last line of {@link statePhrase}: where the grant stands once there is one, else where the
 * request stands. One-line summaries (a message's notification text, a card's summary) say this,
 * so they cannot disagree with the message they stand for (a revoked grant is never "approved").
 */
export function currentStatePhrase(view: RequestView): Phrase {
  return grantLine(view) ?? requestPhrase(view);
}

function grantLine(view: RequestView): Phrase | null {
  const approved = view.request.status === 'approved' || view.request.status === 'auto_approved';
  return approved && view.grant ? grantPhrase(view) : null;
}

function requestPhrase(view: RequestView): Phrase {
  const { request } = view;
  const decidedAt: Phrase = request.decidedAt ? [text(' '), date(request.decidedAt)] : [];
  switch (request.status) {
    case 'pending': {
      const so = approvalsSoFar(view);
      return [icon('pending'), text(' '), strong(`Waiting for ${plural(request.approvalsRequired - so, 'more approval')}`), text(` (${so}/${request.approvalsRequired}) — expires `), date(request.pendingUntil)];
    }
    case 'denied': {
      const denial = view.reviews.find((r) => r.decision === 'deny');
      return [
        icon('denied'),
        text(' '),
        strong('Denied'),
        ...(denial ? [text(` by ${displayName(view, denial.approverId)}`)] : []),
        ...decidedAt,
        ...(request.decisionNote ? [text(`: ${request.decisionNote}`)] : []),
      ];
    }
    case 'auto_denied':
      return [icon('policy_denied'), text(' '), strong('Denied automatically by policy'), ...decidedAt, text(`: ${request.decisionNote ?? ''}`)];
    case 'expired':
      if (request.decisionNote === VERIFICATION_EXPIRED_NOTE) return [icon('expired'), text(' '), strong('Expired'), text(` — approved, but ${view.requester.displayName} did not verify in time`)];
      if (request.extendsGrantId && request.decisionNote) return [icon('expired'), text(' '), strong('Expired'), ...decidedAt, text(` — ${request.decisionNote}`)];
      return [icon('expired'), text(' '), strong('Expired'), text(' — nobody reviewed it in time'), ...decidedAt];
    case 'verifying': {
      const approvers = approverIds(view).map((id) => displayName(view, id));
      const by = approvers.length === 0 ? 'automatically by policy' : `by ${approvers.join(', ')} (${approvers.length}/${request.approvalsRequired})`;
      return [
        icon('approved'),
        text(' '),
        strong('Approved'),
        text(` ${by}`),
        ...decidedAt,
        text(` — waiting for ${view.requester.displayName} to verify (multi-factor sign-in) before the token is issued; expires `),
        date(request.pendingUntil),
      ];
    }
    case 'cancelled':
      return [icon('cancelled'), text(' '), strong('Cancelled by the requester'), ...decidedAt];
    case 'approved':
    case 'auto_approved': {
      const approvers = approverIds(view).map((id) => displayName(view, id));
      if (request.breakGlass) return [icon('warning'), text(' '), strong('Taken without approval (break-glass)'), ...decidedAt];
      const by = request.status === 'auto_approved' ? 'automatically by policy' : `by ${approvers.join(', ')} (${approvers.length}/${request.approvalsRequired})`;
      return [icon('approved'), text(' '), strong('Approved'), text(` ${by}`), ...decidedAt];
    }
  }
}

function grantPhrase(view: RequestView): Phrase {
  const grant = view.grant!;
  switch (grant.status) {
    case 'issuing':
      return [icon('key'), text(' Issuing the token…')];
    case 'issue_failed':
      return [icon('warning'), text(' '), strong('The token could not be issued'), ...(grant.lastError ? [text(` (${grant.lastError})`)] : [])];
    case 'active':
      return [icon('key'), text(' '), strong('Grant active'), text(' until '), date(grant.endsAt), text(` (${formatDuration(view.request.durationSec)})`)];
    case 'revoking':
      return grant.revokeAttempts > 0
        ? [icon('warning'), text(' '), strong('Ending'), text(` — the authorization server has not confirmed revocation yet (${plural(grant.revokeAttempts, 'attempt')}); retrying`)]
        : [icon('lock'), text(' Ending the grant…')];
    case 'revoked':
      return [icon('lock'), text(' '), strong('Revoked'), text(' '), ...(grant.revokedAt ? [date(grant.revokedAt)] : []), text(` — ${grant.endReason ? END_REASONS[grant.endReason] : 'ended'}`)];
  }
}
