import { formatDuration } from '../../../domain/duration.ts';
import type { RequestView } from '../../../ports/chat-platform.ts';
import { ACTIONS } from './action-ids.ts';
import { actions, button, capBlocks, context, fields, header, section, type Block } from './blocks.ts';
import { approvalsSoFar, originPhrase } from '../../../app/chat/request-view-facts.ts';
import { approvalSummaryPhrase } from '../../../app/chat/phrases/approval-summary-phrase.ts';
import { decisionContextLines } from '../../../app/chat/phrases/decision-context-phrase.ts';
import { extensionPhrase } from '../../../app/chat/phrases/extension-phrase.ts';
import { breakGlassPhrase } from '../../../app/chat/phrases/break-glass-phrase.ts';
import { describeState, nameOf } from './describe-state.ts';
import { escapeMrkdwn, slackDate, truncate, userText } from './escape.ts';
import { SLACK_LIMITS } from './limits.ts';
import { mrkdwn } from './phrase-mrkdwn.ts';

export interface SlackMessage {
  /** Notification and accessibility fallback, saying the state the blocks say; escaped like them. */
  text: string;
  blocks: Block[];
}

/**
 * The approval message in a reviewer channel, as it should look now: who asks for what, for how
 * long and why; who may approve and how many must; what happened so far. It carries Approve and
 * Deny while the request is pending, Revoke while its grant is active, and no buttons otherwise.
 */
export function renderApprovalMessage(view: RequestView): SlackMessage {
  const { request, scope, requester } = view;
  const who = escapeMrkdwn(requester.displayName);
  const extension = extensionPhrase(view);
  const breakGlass = breakGlassPhrase(view);
  const asks = breakGlass ? 'took' : extension ? 'asks to extend' : 'asks for';
  const blocks: Block[] = [
    header(`${breakGlass ? '🚨 Break-glass' : extension ? 'Extension request' : 'Elevation request'}: ${scope.name}`),
    section(`*${who}* (${escapeMrkdwn(requester.id)}${requester.kind === 'service' ? ', service account' : ''}) ${asks} *${escapeMrkdwn(scope.name)}* ${extension ? 'by' : 'for'} *${formatDuration(request.durationSec)}*${originPhrase(view)}.\n${userText(scope.description, 1000)}`),
    ...(extension ? [section(mrkdwn(extension))] : []),
    ...(breakGlass ? [section(mrkdwn(breakGlass))] : []),
    fields([
      `*Scope*\n\`${escapeMrkdwn(scope.oauthScope)}\``,
      `*Audience*\n${escapeMrkdwn(scope.audience)}`,
      `*Duration*\n${formatDuration(request.durationSec)}`,
      `*Approvals*\n${approvalsSoFar(view)} of ${request.approvalsRequired} needed`,
      `*Requested*\n${slackDate(request.createdAt)}`,
      `*Request id*\n\`${escapeMrkdwn(request.id)}\``,
    ]),
    reasonBlock(request.reason),
    context(`Eligible approvers: ${truncate(view.eligibleApprovers.map((p) => escapeMrkdwn(p.displayName)).join(', ') || 'nobody (ask an admin)', SLACK_LIMITS.sectionText - 40)}`),
    ...(view.context ? [context(decisionContextLines(view.context).map((line) => mrkdwn(line)).join('\n'))] : []),
    section(describeState(view)),
  ];
  const reviews = view.reviews.map((r) => `${r.decision === 'approve' ? 'Approved' : 'Denied'} by ${nameOf(view, r.approverId)} ${slackDate(r.createdAt)}${r.comment ? `: ${escapeMrkdwn(r.comment)}` : ''}`);
  if (reviews.length > 0) blocks.push(context(reviews.join('\n')));
  const buttons = buttonsFor(view);
  if (buttons.length > 0) blocks.push(actions(`elevate:${request.id}`, buttons));
  return {
    text: truncate(mrkdwn(approvalSummaryPhrase(view), { dates: 'text' }), 300),
    blocks: capBlocks(blocks),
  };
}

/**
 * The requester's reason as a plain_text field (emoji off): Slack renders it exactly as typed, so
 * `*Approved* by Security :white_check_mark:` or a mention in a reason cannot pass for Elevate's
 * own bold status text, an icon or a ping. Only the label is mrkdwn.
 */
function reasonBlock(reason: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: '*Reason*' }, fields: [{ type: 'plain_text', text: truncate(reason, SLACK_LIMITS.sectionField), emoji: false }] };
}

function buttonsFor(view: RequestView): Record<string, unknown>[] {
  const review = view.request.breakGlass;
  const reviewButtons =
    review && review.reviewedAt === null
      ? [
          button({ text: 'Acknowledge', actionId: ACTIONS.acknowledgeBreakGlass, value: view.request.id, style: 'primary' }),
          button({ text: 'Flag', actionId: ACTIONS.flagBreakGlass, value: view.request.id, style: 'danger', confirm: { title: 'Flag this break-glass?', text: 'The flag is posted to the broadcast channels and audited.', confirm: 'Flag' } }),
        ]
      : [];
  return [...reviewButtons, ...requestButtons(view)];
}

function requestButtons(view: RequestView): Record<string, unknown>[] {
  if (view.request.status === 'pending') {
    return [
      button({ text: 'Approve', actionId: ACTIONS.approve, value: view.request.id, style: 'primary' }),
      button({ text: 'Deny', actionId: ACTIONS.deny, value: view.request.id, style: 'danger' }),
    ];
  }
  if (view.grant?.status === 'active') {
    return [
      button({
        text: 'Revoke',
        actionId: ACTIONS.revoke,
        value: view.grant.id,
        style: 'danger',
        confirm: { title: 'Revoke this grant?', text: 'The token stops working at once.', confirm: 'Revoke' },
      }),
    ];
  }
  return [];
}
