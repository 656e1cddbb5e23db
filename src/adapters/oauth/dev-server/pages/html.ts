import { cspHashSource, html, SafeHtml } from '../../../../shared/html/html.ts';

export { escapeHtml, html, SafeHtml } from '../../../../shared/html/html.ts';

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

/**
 * The Content-Security-Policy of every page of the development AS: nothing loads, no script
 * runs (not even inline), the one stylesheet is allowed by hash, forms post only to this origin
 * and no other site may frame the pages (clickjacking a sign-in).
 */
export const PAGE_CSP = `default-src 'none'; style-src ${cspHashSource(STYLE)}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

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
