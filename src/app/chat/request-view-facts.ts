import type { GrantEndReason } from '../../domain/grant.ts';
import type { RequestView } from '../../ports/chat-platform.ts';

/**
 * Facts about a request view that every platform shows in the same words; each renderer adds
 * only its own formatting (Slack mrkdwn and escaping, Adaptive Card text runs).
 */
export const END_REASONS: Readonly<Record<GrantEndReason, string>> = {
  expired: 'its window ended',
  ended_by_requester: 'the requester ended it early',
  revoked_by_reviewer: 'an approver revoked it',
  revoked_by_admin: 'an admin revoked it',
  extended: 'replaced by its extension',
};

export function approvalsSoFar(view: RequestView): number {
  return view.reviews.filter((review) => review.decision === 'approve').length;
}

/** Principal ids of the approvers, in the order they approved. */
export function approverIds(view: RequestView): string[] {
  return view.reviews.filter((review) => review.decision === 'approve').map((review) => review.approverId);
}

/** Display name of a principal mentioned in the view, unescaped (falls back to the id). */
export function displayName(view: RequestView, principalId: string): string {
  return view.names[principalId] ?? principalId;
}

/**
 * How the request reached Elevate, when not through the chat it is shown in: requests made by
 * scripts and service accounts through the HTTP API (or the `elevate` CLI), or on the dashboard,
 * say so to reviewers.
 */
export function originPhrase(view: RequestView): string {
  if (view.request.source === 'api') return ' through the HTTP API';
  if (view.request.source === 'cli') return ' through the elevate CLI';
  if (view.request.source === 'web') return ' on the Elevate dashboard';
  return '';
}
