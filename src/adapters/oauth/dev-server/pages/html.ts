import { createHash } from 'node:crypto';

/** Markup that is already safe: built by `html`, never from raw text. */
export class SafeHtml {
  constructor(readonly markup: string) {}

  toString(): string {
    return this.markup;
  }
}

type Interpolated = string | number | SafeHtml | ReadonlyArray<Interpolated> | null | undefined;

/**
 * Escaping by construction: every interpolated value is escaped unless it is itself `SafeHtml`
 * (built by this tag), so a principal's display name or a browser's User-Agent can never become
 * markup. `null`/`undefined` render as nothing; arrays render each item.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let markup = strings[0] ?? '';
  values.forEach((value, index) => {
    markup += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(markup);
}

function render(value: Interpolated): string {
  if (value === null || value === undefined) return '';
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character]!);
}

/** The only style of the development pages; allowed by its hash, so no other inline style runs. */
const STYLE = [
  'body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}',
  '.dev{background:#fff3cd;border:2px solid #b58100;padding:.5rem .75rem;font-weight:600}',
  '.problem{background:#fde2e1;border:1px solid #b3261e;padding:.5rem .75rem}',
  'form{margin:1rem 0}button{font-size:1rem;padding:.4rem .9rem;margin:.2rem 0}',
  'input[type=text]{font-size:1.2rem;letter-spacing:.1em;text-transform:uppercase}',
  'code{font-size:1.4rem}ul.people{list-style:none;padding:0}ul.people li{margin:.3rem 0}',
  '.id{color:#555;font-family:monospace}',
].join('');

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/**
 * The Content-Security-Policy of every page of the development AS: nothing loads, no script
 * runs (not even inline), the one stylesheet is allowed by hash, forms post only to this origin
 * and no other site may frame the pages (clickjacking a sign-in).
 */
export const PAGE_CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

/** A whole page, clearly labelled as the development-only authorization server. */
export function page(title: string, body: SafeHtml): string {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · Elevate development sign-in</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<p class="dev">DEVELOPMENT ONLY: Elevate's embedded authorization server. It signs people of the configuration in with a one-time code whose secret is kept in its data directory, without a password. Never expose it to a network you do not trust.</p>
<h1>${title}</h1>
${body}
</body>
</html>
`.markup;
}
