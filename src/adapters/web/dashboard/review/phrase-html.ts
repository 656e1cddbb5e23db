import type { Part, Phrase } from '../../../../app/chat/phrases/parts.ts';
import { html, type SafeHtml } from '../../../../shared/html/html.ts';
import { timeOf } from '../time-words.ts';

/**
 * A chat phrase (`src/app/chat/phrases`) as dashboard markup, so the dashboard says what Slack and
 * Teams say in the same words. Every text part is escaped by `html`: it may hold user input.
 */
export function phraseHtml(phrase: Phrase): SafeHtml {
  return html`${phrase.map(partHtml)}`;
}

function partHtml(part: Part): SafeHtml {
  switch (part.kind) {
    case 'text':
      return html`${part.text}`;
    case 'strong':
      return html`<strong>${part.text}</strong>`;
    case 'code':
      return html`<code>${part.text}</code>`;
    case 'date':
      return timeOf(part.at);
    case 'mention':
      return html`${part.name}`;
    case 'line_break':
      return html`<br>`;
    case 'icon':
      // The words next to an icon already say what it stands for: only warnings get a mark.
      return part.icon === 'warning' ? html`<span class="signal-mark" aria-hidden="true">!</span>` : html``;
  }
}

