import { html, type SafeHtml } from '../../../shared/html/html.ts';

/** The form field that carries the session's CSRF token; the frame refuses a POST without it. */
export const CSRF_FIELD = 'csrf';

/** The hidden CSRF field, for forms that build their own fields. */
export function csrfField(csrf: string): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;
}

/**
 * A one-button form that POSTs to `action` with the CSRF token and the given hidden fields: end,
 * reveal, cancel, remove a mapping. `label` is the button's text; `danger` styles it as such.
 */
export function postButton(input: { action: string; csrf: string; label: string; fields?: Record<string, string>; danger?: boolean; describedBy?: string }): SafeHtml {
  const hidden = Object.entries(input.fields ?? {}).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  return html`<form method="post" action="${input.action}" class="inline">${csrfField(input.csrf)}${hidden}<button type="submit"${input.danger ? html` class="danger"` : ''}${input.describedBy ? html` aria-describedby="${input.describedBy}"` : ''}>${input.label}</button></form>`;
}
