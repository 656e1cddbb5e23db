import type { Icon, Phrase } from '../../../app/chat/phrases/parts.ts';
import { escapeMrkdwn, slackDate, slackDateText } from './escape.ts';

const ICONS: Readonly<Record<Icon, string>> = {
  pending: ':hourglass_flowing_sand:',
  denied: ':x:',
  policy_denied: ':no_entry:',
  expired: ':hourglass:',
  cancelled: ':leftwards_arrow_with_hook:',
  approved: ':white_check_mark:',
  key: ':key:',
  warning: ':warning:',
  lock: ':lock:',
  ending: ':hourglass:',
};

/**
 * A phrase in Slack mrkdwn: every text escaped, emphasis bold, ids as code, times as `<!date>`.
 * With `dates: 'text'` times are written out (the `<!date>` fallback) instead, for text that may
 * be cut to a length: a cut `<!date…>` token would show as markup.
 */
export function mrkdwn(phrase: Phrase, options: { dates?: 'token' | 'text' } = {}): string {
  return phrase
    .map((part) => {
      switch (part.kind) {
        case 'text':
          return escapeMrkdwn(part.text);
        case 'strong':
          return `*${escapeMrkdwn(part.text)}*`;
        case 'code':
          return `\`${escapeMrkdwn(part.text)}\``;
        case 'date':
          return options.dates === 'text' ? slackDateText(part.at) : slackDate(part.at);
        case 'icon':
          return ICONS[part.icon];
        case 'line_break':
          return '\n';
        case 'mention':
          // Slack user ids are checked as such where they are linked; anything else is only a name.
          return part.userId !== null && /^[UW][A-Z0-9]{2,}$/.test(part.userId) ? `<@${part.userId}>` : escapeMrkdwn(part.name);
      }
    })
    .join('');
}
