/**
 * The Adaptive Card 1.5 shapes we use, kept small. User-provided text (reasons, names,
 * descriptions, comments) only ever goes into `TextRun`s, which Teams shows verbatim: no
 * markdown, no links, no mentions, so `[click](https://evil)` or `**urgent**` stays as typed.
 */
export type CardElement = Record<string, unknown>;
export type AdaptiveCard = { type: 'AdaptiveCard'; $schema: string; version: '1.5'; body: CardElement[]; actions?: CardElement[]; msteams?: Record<string, unknown>; fallbackText?: string };

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** A user-visible text is cut to this; Teams refuses messages over about 28 KB. */
export const MAX_TEXT = 2000;

export function card(body: CardElement[], actions: CardElement[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full' },
  };
}

/** A run of text shown verbatim. */
export const run = (text: string, style: { bold?: boolean; italic?: boolean; monospace?: boolean; subtle?: boolean } = {}): CardElement => ({
  type: 'TextRun',
  text: cut(text, MAX_TEXT),
  ...(style.bold ? { weight: 'Bolder' } : {}),
  ...(style.italic ? { italic: true } : {}),
  ...(style.monospace ? { fontType: 'Monospace' } : {}),
  ...(style.subtle ? { isSubtle: true } : {}),
});

/** A paragraph of runs (strings are plain runs). */
export const paragraph = (...runs: (string | CardElement)[]): CardElement => ({
  type: 'RichTextBlock',
  inlines: runs.map((r) => (typeof r === 'string' ? run(r) : r)),
});

/** Text we wrote ourselves (never user input); may use Teams' small markdown subset. */
export const ownText = (text: string, extra: Record<string, unknown> = {}): CardElement => ({ type: 'TextBlock', text, wrap: true, ...extra });

export const facts = (items: [string, string][]): CardElement => ({ type: 'FactSet', facts: items.map(([title, value]) => ({ title, value: cut(value, 500) })) });

export const execute = (title: string, verb: string, data: Record<string, unknown>, style?: 'positive' | 'destructive'): CardElement => ({
  type: 'Action.Execute',
  title,
  verb,
  data,
  ...(style ? { style } : {}),
});

export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let head = text.slice(0, max - 1);
  const last = head.charCodeAt(head.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) head = head.slice(0, -1);
  return `${head}…`;
}

/** An instant as every reader can parse it without a time-zone guess. */
export function utc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
