import type { RevealedToken } from '../../../app/chat/reveal-token.ts';
import { card, ownText, paragraph, run, utc } from './card-elements.ts';

/**
 * The `task/fetch` answer that shows a token to its requester: a dialog (task module) rendered
 * from the invoke response. It is not a message, so it is in no chat's history, search or
 * export, and it is gone when closed — Teams' closest equivalent of Slack's modal.
 */
export function renderTokenDialog(token: RevealedToken): Record<string, unknown> {
  const content = card([
    paragraph(run(token.scopeName, { bold: true }), ` — valid until ${utc(token.endsAt)}. Use it as Authorization: ${token.tokenType} <token>.`),
    { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: token.accessToken, fontType: 'Monospace' }] },
    ownText('Copy it now; it is revoked when the grant ends. Do not paste it into a chat or channel.', { isSubtle: true, size: 'Small' }),
  ]);
  return {
    task: {
      type: 'continue',
      value: { title: 'Your access token', width: 'large', height: 'medium', card: { contentType: 'application/vnd.microsoft.card.adaptive', content: content } },
    },
  };
}

/** A dialog that says why the token cannot be shown (not the requester, grant over). */
export function renderDialogMessage(text: string): Record<string, unknown> {
  return { task: { type: 'message', value: text.slice(0, 500) } };
}
