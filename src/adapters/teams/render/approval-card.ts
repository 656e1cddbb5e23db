import { MAX_COMMENT_LENGTH } from '../../../app/review-request.ts';
import { formatDuration } from '../../../domain/duration.ts';
import type { RequestView } from '../../../ports/chat-platform.ts';
import { card, cut, execute, facts, ownText, paragraph, run, utc, type AdaptiveCard, type CardElement } from './card-elements.ts';
import { approvalsSoFar, originPhrase } from '../../../app/chat/request-view-facts.ts';
import { approvalSummaryPhrase } from '../../../app/chat/phrases/approval-summary-phrase.ts';
import { describeState, nameOf } from './describe-state.ts';
import { plainText, textRuns } from './phrase-runs.ts';
import { decisionContextLines } from '../../../app/chat/phrases/decision-context-phrase.ts';
import { extensionPhrase } from '../../../app/chat/phrases/extension-phrase.ts';
import { breakGlassPhrase } from '../../../app/chat/phrases/break-glass-phrase.ts';
import { DENY_COMMENT_INPUT, VERBS } from './verbs.ts';

/**
 * The approval card in a reviewer channel, as it should look now: the same facts as the Slack
 * message (requester, scope and description, audience, duration, reason, eligible approvers,
 * approvals needed, what happened so far). Approve and Deny (with a reason) while pending, Revoke
 * while the grant is active, no actions otherwise.
 */
export function renderApprovalCard(view: RequestView): AdaptiveCard {
  const { request, scope, requester } = view;
  const extension = extensionPhrase(view);
  const breakGlass = breakGlassPhrase(view);
  const body: CardElement[] = [
    ownText(`${breakGlass ? '🚨 Break-glass' : extension ? 'Extension request' : 'Elevation request'}: ${scope.name}`, { size: 'Medium', weight: 'Bolder' }),
    paragraph(
      run(requester.displayName, { bold: true }),
      ` (${requester.id}${requester.kind === 'service' ? ', service account' : ''}) ${breakGlass ? 'took' : extension ? 'asks to extend' : 'asks for'} `,
      run(scope.name, { bold: true }),
      ` ${extension ? 'by' : 'for'} ${formatDuration(request.durationSec)}${originPhrase(view)}.`,
    ),
    ...(extension ? [paragraph(...textRuns(extension))] : []),
    ...(breakGlass ? [paragraph(...textRuns(breakGlass))] : []),
    paragraph(run(scope.description, { subtle: true })),
    facts([
      ['Scope', scope.oauthScope],
      ['Audience', scope.audience],
      ['Duration', formatDuration(request.durationSec)],
      ['Approvals', `${approvalsSoFar(view)} of ${request.approvalsRequired} needed`],
      ['Requested', utc(request.createdAt)],
      ['Request id', request.id],
    ]),
    paragraph(run('Reason: ', { bold: true }), run(request.reason)),
    paragraph(run(`Eligible approvers: ${cut(view.eligibleApprovers.map((p) => p.displayName).join(', ') || 'nobody (ask an admin)', 1000)}`, { subtle: true })),
    ...(view.context ? decisionContextLines(view.context).map((line) => paragraph(...textRuns(line))) : []),
    paragraph(run(describeState(view), { bold: true })),
  ];
  const reviews = view.reviews.map((r) => `${r.decision === 'approve' ? 'Approved' : 'Denied'} by ${nameOf(view, r.approverId)} ${utc(r.createdAt)}${r.comment ? `: ${r.comment}` : ''}`);
  if (reviews.length > 0) body.push(paragraph(run(cut(reviews.join('\n'), 3000), { subtle: true })));
  return { ...card(body, actionsFor(view)), fallbackText: approvalSummary(view) };
}

/**
 * The card in one line, for the activity's `summary` (notifications, the chat list) and the
 * card's `fallbackText`: the state the card's body ends with, never an older one.
 */
export function approvalSummary(view: RequestView): string {
  return cut(plainText(approvalSummaryPhrase(view)), 200);
}

function actionsFor(view: RequestView): CardElement[] {
  const review = view.request.breakGlass;
  const reviewActions =
    review && review.reviewedAt === null
      ? [execute('Acknowledge', VERBS.acknowledgeBreakGlass, { requestId: view.request.id }, 'positive'), execute('Flag', VERBS.flagBreakGlass, { requestId: view.request.id }, 'destructive')]
      : [];
  return [...reviewActions, ...requestActions(view)];
}

function requestActions(view: RequestView): CardElement[] {
  if (view.request.status === 'pending') {
    const data = { requestId: view.request.id };
    return [
      execute('Approve', VERBS.approve, data, 'positive'),
      {
        type: 'Action.ShowCard',
        title: 'Deny…',
        card: {
          type: 'AdaptiveCard',
          body: [
            {
              type: 'Input.Text',
              id: DENY_COMMENT_INPUT,
              label: 'Why? The requester will see your reason.',
              isMultiline: true,
              maxLength: MAX_COMMENT_LENGTH,
              isRequired: true,
              errorMessage: 'Say why you deny it.',
            },
          ],
          actions: [execute('Deny', VERBS.deny, data, 'destructive')],
        },
      },
    ];
  }
  if (view.grant?.status === 'active') return [execute('Revoke', VERBS.revoke, { grantId: view.grant.id }, 'destructive')];
  return [];
}
