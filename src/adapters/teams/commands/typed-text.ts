/** The parts of a message activity that say what its author typed. */
export interface TypedMessage {
  /** Teams' HTML of the message (`<p>`, `<at>…</at>`, entities), or plain text. */
  text?: string;
  entities?: readonly { type?: string; text?: string; mentioned?: { id?: string; name?: string } }[];
  /** The bot's id (`activity.recipient.id`): a mention of it is addressing, not content. */
  recipientId?: string;
}

const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
/** Tags whose edges separate words; every other tag (`<b>`, `<span>`) is only formatting. */
const SEPARATING = new Set(['p', 'div', 'br', 'li', 'ul', 'ol', 'tr', 'td', 'th', 'table', 'blockquote', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** A mention, any other tag, or an entity; matched left to right in one pass, so nothing is decoded twice. */
const TOKEN = /<at>([^<]*)<\/at>|<\/?([a-z][a-z0-9]*)\b[^>]*>|&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi;
/** What may come before the bot's mention at the start of a message addressed to it. */
const LEADING = /^(\s|&nbsp;|<[^>]*>)*$/i;

/**
 * The text a person typed, from the HTML Teams delivers: a mention of someone becomes `@Name`
 * (as they saw it while typing), the mention of the bot itself is dropped (it only addresses the
 * message), tags go, and each HTML entity is decoded exactly once, so `&amp;lt;` stays `&lt;`.
 * The result is plain text and is shown as plain text everywhere.
 */
export function typedText(message: TypedMessage): string {
  const text = message.text ?? '';
  const mentions = (message.entities ?? []).filter((e) => e.type === 'mention');
  const isBot = (markup: string, offset: number): boolean => {
    const entity = mentions.find((e) => e.text === markup);
    if (entity) return message.recipientId !== undefined && entity.mentioned?.id === message.recipientId;
    // No entity to say whom it names: a mention that opens the message is how it is addressed to the bot.
    return LEADING.test(text.slice(0, offset));
  };
  return text
    .replace(TOKEN, (markup: string, mention: string | undefined, tag: string | undefined, entity: string | undefined, offset: number) => {
      if (mention !== undefined) return isBot(markup, offset) ? ' ' : `@${decodeEntities(mention).trim()}`;
      if (tag !== undefined) return SEPARATING.has(tag.toLowerCase()) ? ' ' : '';
      return decodeEntity(entity!) ?? markup;
    })
    .trim();
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (markup, entity: string) => decodeEntity(entity) ?? markup);
}

function decodeEntity(entity: string): string | null {
  if (entity[0] !== '#') return NAMED[entity.toLowerCase()] ?? null;
  const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
  // Not a character, or a control character that would hide in a reason: keep what was sent.
  if (!Number.isInteger(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || code < 0x20 || code === 0x7f) return null;
  return String.fromCodePoint(code);
}
