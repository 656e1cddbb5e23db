import { cspHashSource, html, SafeHtml } from '../../../shared/html/html.ts';

/**
 * The one stylesheet of Elevate's web pages, inline and allowed by its hash: no other style and
 * no script can run on them.
 */
const STYLE = [
  'body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}',
  'header{border-bottom:1px solid #ddd;margin-bottom:1rem;color:#555}',
  'dl{display:grid;grid-template-columns:max-content auto;gap:.3rem 1rem}dt{font-weight:600}dd{margin:0}',
  '.problem{background:#fde2e1;border:1px solid #b3261e;padding:.5rem .75rem}',
  '.done{background:#e3f4e1;border:1px solid #2e7d32;padding:.5rem .75rem}',
  'form{margin:1.5rem 0}button{font-size:1rem;padding:.5rem 1rem}',
  'code{font-family:ui-monospace,monospace;background:#f3f3f3;padding:0 .2rem}',
].join('');

export const STYLE_SOURCES: readonly string[] = Object.freeze([cspHashSource(STYLE)]);

/** A whole page of the web front door: the shared head and header around `body`. */
export function layout(title: string, body: SafeHtml): string {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · Elevate</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<header>Elevate — just-in-time access</header>
<h1>${title}</h1>
${body}
</body>
</html>
`.markup;
}
