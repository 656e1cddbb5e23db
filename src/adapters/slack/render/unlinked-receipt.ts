import { escapeMrkdwn } from './escape.ts';

/**
 * What the request form tells a Slack account matched to its principal by e-mail: that the
 * request was made, and no more. Outcomes (approval, denial, the token) go only to accounts
 * linked explicitly, so a matched account learns them from the Home tab, where it asks itself.
 */
export function unlinkedAccountReceipt(requestId: string): string {
  return `Your request \`${escapeMrkdwn(requestId)}\` was made. This Slack account is matched to you by e-mail, not linked, so what happens next is not sent here: see the app's Home tab, or ask an admin to link this account.`;
}
