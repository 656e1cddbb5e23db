// Keeps a dashboard page current without a reload. When the page's <main> says data-live="on", it
// listens to /events (server-sent events that say only "something changed") and, on a change,
// fetches this same page again and swaps in its <main>: the server's own page, escaped when it
// was rendered, parsed by DOMParser (which runs no script). Nothing else is written into the page.
// While the person is in the page's content (focus on a field, a button or a link) or has typed
// text not sent yet, the swap waits, so neither a half-written reason nor a keyboard user's place
// is lost: it happens once focus leaves, the fields untouched; a submit loads a new page anyway.
'use strict';
(() => {
  const main = document.querySelector('main[data-live="on"]');
  if (main === null || typeof EventSource !== 'function' || typeof DOMParser !== 'function') return;
  let seen = 0; // changes heard of
  let shown = 0; // changes the page shows
  let fetching = false;
  let submitting = false;

  // Focus on a control of the page (a swap would drop a keyboard user's place), or text typed and not sent.
  function writing() {
    const active = document.activeElement;
    if (active !== null && active !== main && main.contains(active)) return true;
    return Array.from(main.querySelectorAll('textarea, input:not([type=hidden])')).some((field) => field.value !== field.defaultValue);
  }

  async function refresh() {
    if (shown === seen || fetching || submitting || writing()) return;
    const target = seen;
    fetching = true;
    try {
      // redirect 'manual': a session that ended answers with a redirect to sign in, which is not this page.
      const response = await fetch(location.href, { credentials: 'same-origin', redirect: 'manual', headers: { accept: 'text/html' } });
      if (!response.ok || !(response.headers.get('content-type') || '').startsWith('text/html')) return;
      const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').querySelector('main');
      if (fresh === null || submitting || writing()) return;
      main.replaceChildren(...fresh.childNodes);
      shown = target;
      if (fresh.getAttribute('data-live') !== 'on') events.close();
    } catch {
      // Offline for a moment: the next change, or focus leaving a field, tries again.
    } finally {
      fetching = false;
    }
    if (seen > target) void refresh();
  }

  const events = new EventSource('/events');
  const changed = () => {
    seen += 1;
    void refresh();
  };
  events.addEventListener('change', changed);
  // A change between this page's rendering and the feed's first reading would go unheard: look once.
  events.addEventListener('open', changed, { once: true });
  // After focusout the next element is not focused yet: look once it is.
  main.addEventListener('focusout', () => setTimeout(refresh, 0));
  main.addEventListener('submit', () => {
    submitting = true;
    events.close();
  });
})();
