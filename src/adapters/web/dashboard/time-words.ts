import { formatDuration } from '../../../domain/duration.ts';
import { html, type SafeHtml } from '../../../shared/html/html.ts';

/** An instant as people read it (UTC, to the minute), in a `<time>` element machines can read too. */
export function timeOf(at: Date | null | undefined): SafeHtml | null {
  if (!at) return null;
  const iso = at.toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`;
}

/** "in 42m", "3m ago": how far an instant is from now, to the minute (seconds under a minute). */
export function relativeTo(at: Date, now: Date): string {
  const seconds = Math.round((at.getTime() - now.getTime()) / 1000);
  const size = Math.abs(seconds);
  const text = size < 60 ? `${size}s` : formatDuration(size - (size % 60));
  return seconds >= 0 ? `in ${text}` : `${text} ago`;
}
