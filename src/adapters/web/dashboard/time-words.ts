import { formatDuration } from '../../../domain/duration.ts';
import { html, type SafeHtml } from '../../../shared/html/html.ts';

/** An instant as people read it on the dashboard (the dashboard's times are UTC): `2026-03-02 09:00:05 UTC`, or to the minute. */
export function utcText(date: Date, precision: 'second' | 'minute' = 'second'): string {
  return `${date.toISOString().slice(0, precision === 'second' ? 19 : 16).replace('T', ' ')} UTC`;
}

/** An instant to the minute, in a `<time>` element machines can read too: where a person plans. */
export function timeOf(at: Date): SafeHtml {
  return html`<time datetime="${at.toISOString()}">${utcText(at, 'minute')}</time>`;
}

/** An instant to the second, in a `<time>` element: where the record matters (audit, operations). */
export function exactTimeOf(at: Date): SafeHtml {
  return html`<time datetime="${at.toISOString()}">${utcText(at)}</time>`;
}

/** "in 42m", "3m ago": how far an instant is from now, to the minute (seconds under a minute). */
export function relativeTo(at: Date, now: Date): string {
  const seconds = Math.round((at.getTime() - now.getTime()) / 1000);
  const size = Math.abs(seconds);
  const text = size < 60 ? `${size}s` : formatDuration(size - (size % 60));
  return seconds >= 0 ? `in ${text}` : `${text} ago`;
}

/** An instant as an `<input type="datetime-local">` shows it. */
export function dateTimeLocalValue(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/** A span of time in a few words: `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`. */
export function spanText(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}
