import type { Icon, Part, Phrase } from '../../../app/chat/phrases/parts.ts';
import { run, utc, type CardElement } from './card-elements.ts';

const ICONS: Readonly<Record<Icon, string>> = {
  pending: '⏳',
  denied: '❌',
  policy_denied: '⛔',
  expired: '⌛',
  cancelled: '↩',
  approved: '✅',
  key: '🔑',
  warning: '⚠',
  lock: '🔒',
  ending: '⏳',
};

function plainPart(part: Part): string {
  switch (part.kind) {
    case 'text':
    case 'strong':
    case 'code':
      return part.text;
    case 'date':
      return utc(part.at);
    case 'icon':
      return ICONS[part.icon];
    case 'line_break':
      return '\n';
    case 'mention':
      return part.name;
  }
}

/** A phrase as one plain text, for a single `TextRun` (shown verbatim, so nothing needs escaping). */
export function plainText(phrase: Phrase): string {
  return phrase.map(plainPart).join('');
}

/** A phrase as the runs of a paragraph: emphasis becomes a bold run, the text between it one plain run. */
export function textRuns(phrase: Phrase): (string | CardElement)[] {
  const runs: (string | CardElement)[] = [];
  for (const part of phrase) {
    if (part.kind === 'strong') runs.push(run(part.text, { bold: true }));
    else if (typeof runs.at(-1) === 'string') runs[runs.length - 1] += plainPart(part);
    else runs.push(plainPart(part));
  }
  return runs;
}
