import { formatDuration } from '../../../domain/duration.ts';
import { approvalsSoFar, approverIds, displayName, END_REASONS } from '../../../app/chat/request-view-facts.ts';
import type { RequestView } from '../../../ports/chat-platform.ts';
import { utc } from './card-elements.ts';

export function nameOf(view: RequestView, principalId: string): string {
  return displayName(view, principalId);
}

/**
 * Where the request stands now, with who and when, as plain text (shown in a `TextRun`, so names
 * and notes need no escaping). The same facts, in the same order, as the Slack message.
 */
export function describeState(view: RequestView): string {
  const { request, grant } = view;
  const decidedAt = request.decidedAt ? ` ${utc(request.decidedAt)}` : '';
  const approvers = approverIds(view).map((id) => nameOf(view, id));
  switch (request.status) {
    case 'pending': {
      const missing = request.approvalsRequired - approvalsSoFar(view);
      return `⏳ Waiting for ${missing} more approval${missing === 1 ? '' : 's'} (${approvalsSoFar(view)}/${request.approvalsRequired}) — expires ${utc(request.pendingUntil)}`;
    }
    case 'denied': {
      const denial = view.reviews.find((r) => r.decision === 'deny');
      return `❌ Denied${denial ? ` by ${nameOf(view, denial.approverId)}` : ''}${decidedAt}${request.decisionNote ? `: ${request.decisionNote}` : ''}`;
    }
    case 'auto_denied':
      return `⛔ Denied automatically by policy${decidedAt}: ${request.decisionNote ?? ''}`;
    case 'expired':
      return `⌛ Expired — nobody reviewed it in time${decidedAt}`;
    case 'cancelled':
      return `↩ Cancelled by the requester${decidedAt}`;
    case 'approved':
    case 'auto_approved': {
      const by = request.status === 'auto_approved' ? 'automatically by policy' : `by ${approvers.join(', ')} (${approvers.length}/${request.approvalsRequired})`;
      return `✅ Approved ${by}${decidedAt}${grant ? `\n${describeGrant(view)}` : ''}`;
    }
  }
}

function describeGrant(view: RequestView): string {
  const grant = view.grant!;
  switch (grant.status) {
    case 'issuing':
      return '🔑 Issuing the token…';
    case 'issue_failed':
      return `⚠ The token could not be issued${grant.lastError ? ` (${grant.lastError})` : ''}`;
    case 'active':
      return `🔑 Grant active until ${utc(grant.endsAt)} (${formatDuration(view.request.durationSec)})`;
    case 'revoking':
      return grant.revokeAttempts > 0
        ? `⚠ Ending — the authorization server has not confirmed revocation yet (${grant.revokeAttempts} attempt${grant.revokeAttempts === 1 ? '' : 's'}); retrying`
        : '🔒 Ending the grant…';
    case 'revoked':
      return `🔒 Revoked ${grant.revokedAt ? utc(grant.revokedAt) : ''} — ${grant.endReason ? END_REASONS[grant.endReason] : 'ended'}`;
  }
}
