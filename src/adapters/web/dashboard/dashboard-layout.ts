import { html, type SafeHtml } from '../../../shared/html/html.ts';
import { csrfField } from './forms.ts';
import type { DashboardSection, Viewer } from './page-route.ts';

const SECTIONS: ReadonlyArray<{ section: DashboardSection; label: string; href: string; shown: (viewer: Viewer) => boolean }> = [
  { section: 'access', label: 'My access', href: '/access', shown: () => true },
  { section: 'review', label: 'Review', href: '/review', shown: () => true },
  { section: 'audit', label: 'Audit', href: '/audit', shown: (viewer) => viewer.mayReadAudit },
  { section: 'operations', label: 'Operations', href: '/operations', shown: (viewer) => viewer.isAdmin },
];

export interface DashboardFrame {
  title: string;
  body: SafeHtml;
  /** Signed in: the navigation and the sign-out form; null on the sign-in pages. */
  viewer: { viewer: Viewer; csrf: string } | null;
  section?: DashboardSection;
  /** The page refreshes itself when anything changes (server-sent events, `/assets/live.js`). */
  live?: boolean;
}

/** A whole dashboard page: header with navigation and sign-out, then the page in `<main>`. */
export function dashboardPage(frame: DashboardFrame): string {
  const signedIn = frame.viewer;
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${frame.title} · Elevate</title>
<link rel="stylesheet" href="/assets/dashboard.css">
${frame.live ? html`<script src="/assets/live.js" defer></script>` : null}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<a class="brand" href="/">Elevate</a>
${signedIn ? navigation(signedIn.viewer, signedIn.csrf, frame.section) : null}
</header>
<main id="main" tabindex="-1"${frame.live ? html` data-live="on"` : null}>
<h1>${frame.title}</h1>
${frame.body}
</main>
</body>
</html>
`.markup;
}

function navigation(viewer: Viewer, csrf: string, current: DashboardSection | undefined): SafeHtml {
  const links = SECTIONS.filter((entry) => entry.shown(viewer)).map(
    (entry) => html`<li><a href="${entry.href}"${entry.section === current ? html` aria-current="page"` : null}>${entry.label}</a></li>`,
  );
  return html`<nav aria-label="Dashboard"><ul>${links}</ul></nav>
<div class="who"><span>${viewer.principal.displayName} <span class="muted small">(${viewer.principal.id})</span></span>
<form method="post" action="/sign-out" class="inline">${csrfField(csrf)}<button type="submit" class="secondary">Sign out</button></form></div>`;
}
