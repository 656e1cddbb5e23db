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

/** A CSP source that allows exactly this inline text (a `<style>` element's content): `'sha256-…'`. */
export function cspHashSource(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}
