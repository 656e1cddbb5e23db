/**
 * Makes user-provided text (reasons, names, descriptions, comments) inert in Slack `mrkdwn`:
 * `&`, `<` and `>` are entity-escaped, so `<!channel>`, `<@U123>` and `<https://x|label>` show as
 * typed instead of pinging or hiding a link; the bare keywords `@channel`, `@here` and
 * `@everyone` get a zero-width joiner after the `@` in case a client resolves them.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(channel|here|everyone)\b/gi, '@\u200d$1');
}

/** Cuts text to at most `max` characters, ending in `…` when it was cut (never splitting a surrogate pair). */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Escaped and cut to fit: the usual treatment of any user text placed in a text object. */
export function userText(text: string, max: number): string {
  return truncate(escapeMrkdwn(text), max);
}

/** A time every Slack client shows in the reader's own time zone, with a UTC fallback. */
export function slackDate(date: Date): string {
  return `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} {time}|${slackDateText(date)}>`;
}

/** A time as words, `2026-03-02 09:01 UTC`: the fallback of {@link slackDate}. */
export function slackDateText(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
