import { formatDuration } from '../../../domain/duration.ts';
import { approvalsSoFar, approverIds, displayName, END_REASONS } from '../../../app/chat/request-view-facts.ts';
import type { RequestView } from '../../../ports/chat-platform.ts';
import { escapeMrkdwn, slackDate } from './escape.ts';

export function nameOf(view: RequestView, principalId: string): string {
  return escapeMrkdwn(displayName(view, principalId));
}

/** One line that says where the request stands now, with who and when. Escaped. */
export function describeState(view: RequestView): string {
  const { request, grant } = view;
  const decidedAt = request.decidedAt ? ` ${slackDate(request.decidedAt)}` : '';
  const approvers = approverIds(view).map((id) => nameOf(view, id));
  switch (request.status) {
    case 'pending': {
      const missing = request.approvalsRequired - approvalsSoFar(view);
      return `:hourglass_flowing_sand: *Waiting for ${missing} more approval${missing === 1 ? '' : 's'}* (${approvalsSoFar(view)}/${request.approvalsRequired}) — expires ${slackDate(request.pendingUntil)}`;
    }
    case 'denied': {
      const denial = view.reviews.find((r) => r.decision === 'deny');
      const by = denial ? ` by ${nameOf(view, denial.approverId)}` : '';
      return `:x: *Denied*${by}${decidedAt}${request.decisionNote ? `: ${escapeMrkdwn(request.decisionNote)}` : ''}`;
    }
    case 'auto_denied':
      return `:no_entry: *Denied automatically by policy*${decidedAt}: ${escapeMrkdwn(request.decisionNote ?? '')}`;
    case 'expired':
      return `:hourglass: *Expired* — nobody reviewed it in time${decidedAt}`;
    case 'cancelled':
      return `:leftwards_arrow_with_hook: *Cancelled by the requester*${decidedAt}`;
    case 'approved':
    case 'auto_approved': {
      const by = request.status === 'auto_approved' ? 'automatically by policy' : `by ${approvers.join(', ')} (${approvers.length}/${request.approvalsRequired})`;
      return `:white_check_mark: *Approved* ${by}${decidedAt}${grant ? `\n${describeGrant(view)}` : ''}`;
    }
  }
}

function describeGrant(view: RequestView): string {
  const grant = view.grant!;
  switch (grant.status) {
    case 'issuing':
      return ':key: Issuing the token…';
    case 'issue_failed':
      return `:warning: *The token could not be issued*${grant.lastError ? ` (${escapeMrkdwn(grant.lastError)})` : ''}`;
    case 'active':
      return `:key: *Grant active* until ${slackDate(grant.endsAt)} (${formatDuration(view.request.durationSec)})`;
    case 'revoking':
      return grant.revokeAttempts > 0
        ? `:warning: *Ending* — the authorization server has not confirmed revocation yet (${grant.revokeAttempts} attempt${grant.revokeAttempts === 1 ? '' : 's'}); retrying`
        : ':lock: Ending the grant…';
    case 'revoked':
      return `:lock: *Revoked* ${grant.revokedAt ? slackDate(grant.revokedAt) : ''} — ${grant.endReason ? END_REASONS[grant.endReason] : 'ended'}`;
  }
}
