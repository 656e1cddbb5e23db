import type { AuditRecord } from '../../../../domain/audit.ts';
import { html, type SafeHtml } from '../../../../shared/html/html.ts';
import { exactTimeOf } from '../time-words.ts';

const SUMMARY_ENTRIES = 6;
const SUMMARY_VALUE_CHARS = 80;

/**
 * One record as a table row (stacked into a card on a phone): its number, time, event, actor,
 * request and grant, a compact summary of its data, and its hash with the link to the record
 * before it. Every value is text to `html`, so a reason with markup in it stays text.
 */
export function auditRecordRow(record: AuditRecord): SafeHtml {
  return html`<tr>
<td data-label="#">${record.seq}</td>
<td data-label="Time">${exactTimeOf(record.at)}</td>
<td data-label="Event"><code>${record.type}</code></td>
<td data-label="Actor"><a href="${`/audit?person=${encodeURIComponent(record.actor)}`}">${record.actor}</a></td>
<td data-label="Request / grant">${idsOf(record)}</td>
<td data-label="Data" class="audit-data">${dataSummary(record.data)}</td>
<td data-label="Hash">${hashDetails(record)}</td>
</tr>`;
}

function idsOf(record: AuditRecord): SafeHtml {
  if (record.requestId === null && record.grantId === null) return html`<span class="muted">—</span>`;
  return html`${record.requestId === null ? '' : html`<span class="audit-id">req <code>${record.requestId}</code></span>`}${record.grantId === null ? '' : html` <span class="audit-id">grant <code>${record.grantId}</code></span>`}`;
}

/** `key: value` pairs, each value cut short; the whole data as JSON in the title for the curious. */
export function dataSummary(data: Record<string, unknown>): SafeHtml {
  const entries = Object.entries(data);
  if (entries.length === 0) return html`<span class="muted">—</span>`;
  const shown = entries.slice(0, SUMMARY_ENTRIES).map(([key, value]) => html`<span class="audit-pair"><span class="audit-key">${key}</span> ${shorten(typeof value === 'string' ? value : JSON.stringify(value))}</span> `);
  const more = entries.length > SUMMARY_ENTRIES ? html`<span class="muted">+${entries.length - SUMMARY_ENTRIES} more</span>` : '';
  return html`<span title="${shorten(JSON.stringify(data), 2000)}">${shown}${more}</span>`;
}

function hashDetails(record: AuditRecord): SafeHtml {
  return html`<details class="audit-hash"><summary><code>${record.hash.slice(0, 12)}…</code><span class="visually-hidden"> full hash</span></summary>
<dl class="facts small"><dt>Hash</dt><dd><code>${record.hash}</code></dd><dt>Previous</dt><dd><code>${record.prevHash}</code></dd><dt>Key</dt><dd>${record.keyId === null ? 'none (plain SHA-256)' : html`<code>${record.keyId}</code>`}</dd></dl></details>`;
}

function shorten(text: string, max = SUMMARY_VALUE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
