import type { RevealedToken } from '../../../app/chat/reveal-token.ts';
import { context, section, type Block } from './blocks.ts';
import { escapeMrkdwn, slackDate } from './escape.ts';

const CHUNK = 2900;

/**
 * The private modal that shows a token to its requester. A modal is not a message: it is in no
 * conversation's history, search or export, and it is gone when closed. Long tokens (large JWTs)
 * are split across several blocks to stay under the 3000-character text limit.
 */
export function renderTokenModal(token: RevealedToken): Record<string, unknown> {
  const chunks: Block[] = [];
  for (let start = 0; start < token.accessToken.length; start += CHUNK) {
    chunks.push(section(`\`\`\`${escapeMrkdwn(token.accessToken.slice(start, start + CHUNK))}\`\`\``));
  }
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Your access token' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [
      section(`*${escapeMrkdwn(token.scopeName)}* — valid until ${slackDate(token.endsAt)}. Use it as \`Authorization: ${escapeMrkdwn(token.tokenType)} <token>\`.`),
      ...chunks.slice(0, 90),
      context('Copy it now; it is revoked when the grant ends. Do not paste it into a channel.'),
    ],
  };
}
