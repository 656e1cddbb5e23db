import { MAX_COMMENT_LENGTH } from '../../../app/review-request.ts';
import { VIEWS } from './action-ids.ts';
import { escapeMrkdwn } from './escape.ts';
import { section } from './blocks.ts';

export interface DenyContext {
  requestId: string;
  /** Where the click happened, to answer a refusal there. */
  channelId: string | null;
}

export const DENY_REASON_BLOCK = 'deny_reason';
export const DENY_REASON_INPUT = 'reason';

/** The modal that asks an approver why they deny a request. */
export function renderDenyModal(context: DenyContext, scopeName: string): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: VIEWS.denyReason,
    private_metadata: JSON.stringify(context),
    title: { type: 'plain_text', text: 'Deny request' },
    submit: { type: 'plain_text', text: 'Deny' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`Deny the request \`${escapeMrkdwn(context.requestId)}\` for *${escapeMrkdwn(scopeName)}*? The requester will see your reason.`),
      {
        type: 'input',
        block_id: DENY_REASON_BLOCK,
        label: { type: 'plain_text', text: 'Reason' },
        element: { type: 'plain_text_input', action_id: DENY_REASON_INPUT, multiline: true, max_length: MAX_COMMENT_LENGTH },
      },
    ],
  };
}

export function readDenyContext(privateMetadata: string): DenyContext | null {
  try {
    const value = JSON.parse(privateMetadata) as Partial<DenyContext>;
    return typeof value.requestId === 'string' ? { requestId: value.requestId, channelId: typeof value.channelId === 'string' ? value.channelId : null } : null;
  } catch {
    return null;
  }
}
