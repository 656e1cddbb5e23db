import type { ChainStatus } from '../../../../app/audit-chain-status.ts';
import { AUDIT_EXPORT_LIMIT, type AuditPage } from '../../../../app/search-audit-trail.ts';
import { AUDIT_EVENT_TYPES } from '../../../../domain/audit.ts';
import { html, type SafeHtml } from '../../../../shared/html/html.ts';
import { filterQuery, type AuditFilters, type FilterField } from './audit-filters.ts';
import { auditRecordRow } from './audit-record-row.ts';
import { exactTimeOf } from '../time-words.ts';

export interface AuditPageInput {
  filters: AuditFilters;
  chain: ChainStatus;
  /** Null when the filters were refused: nothing was searched. */
  results: AuditPage | null;
  /** For the form's suggestions: today's principals and scopes (the trail may name others). */
  principalIds: readonly string[];
  scopeNames: readonly string[];
}

/** The audit page: the chain's verification, the filters, the matching records newest first. */
export function auditPageBody(input: AuditPageInput): SafeHtml {
  const { filters, results } = input;
  return html`${chainStatus(input.chain)}
${filterForm(input)}
${results === null ? '' : resultsSection(filters, results)}`;
}

function chainStatus({ verification, checkedAt }: ChainStatus): SafeHtml {
  const when = exactTimeOf(checkedAt);
  if (!verification.ok) {
    return html`<div class="problem chain-status" role="alert"><p><strong>Chain broken at record #${verification.brokenAtSeq}:</strong> ${verification.problem}.</p>
<p class="small">${verification.records} record(s) checked, ${when}. <a href="${`/audit?before=${verification.brokenAtSeq + 1}`}">Show record #${verification.brokenAtSeq} and those before it</a>.</p></div>`;
  }
  if (verification.records === 0) return html`<p class="done chain-status" role="status">The trail is empty: nothing to verify yet (checked ${when}).</p>`;
  return html`<p class="done chain-status" role="status"><strong>Chain intact:</strong> ${verification.records} record(s) verified, through record #${verification.headSeq} (checked ${when}).</p>`;
}

function filterForm(input: AuditPageInput): SafeHtml {
  const { values, problems } = input.filters;
  const problemOf = (field: FilterField | 'before') => problems.find((p) => p.field === field)?.message;
  const field = (name: FilterField, label: string, control: (describedBy: string | null) => SafeHtml, hint?: string) => {
    const problem = problemOf(name);
    const ids = [hint ? `${name}-hint` : null, problem ? `${name}-problem` : null].filter((id) => id !== null).join(' ');
    return html`<div class="audit-field${problem ? ' invalid' : ''}"><label for="audit-${name}">${label}</label>${hint ? html`<span class="hint" id="${`${name}-hint`}">${hint}</span>` : ''}
${control(ids === '' ? null : ids)}${problem ? html`<p class="field-problem" id="${`${name}-problem`}">${problem}</p>` : ''}</div>`;
  };
  const described = (ids: string | null) => (ids === null ? '' : html` aria-describedby="${ids}"`);
  const invalid = (name: FilterField) => (problemOf(name) ? html` aria-invalid="true"` : '');
  const before = problemOf('before');
  return html`<form method="get" action="/audit" class="audit-filters" aria-label="Filter the audit trail">
${problems.length > 0 ? html`<p class="problem" role="alert">Some filters need fixing${before ? html`: ${before}` : '.'}</p>` : ''}
${field('person', 'Person', (ids) => html`<input id="audit-person" name="person" list="audit-people" value="${values.person}" maxlength="200" autocomplete="off"${described(ids)}${invalid('person')}>`, 'who acted, or whose request or identity it is')}
<datalist id="audit-people">${input.principalIds.map((id) => html`<option value="${id}"></option>`)}</datalist>
${field('scope', 'Scope', (ids) => html`<input id="audit-scope" name="scope" list="audit-scopes" value="${values.scope}" maxlength="63" autocomplete="off"${described(ids)}${invalid('scope')}>`)}
<datalist id="audit-scopes">${input.scopeNames.map((name) => html`<option value="${name}"></option>`)}</datalist>
${field('event', 'Event', (ids) => html`<select id="audit-event" name="event"${described(ids)}${invalid('event')}><option value="">Any event</option>${AUDIT_EVENT_TYPES.map((type) => html`<option value="${type}"${values.event === type ? html` selected` : ''}>${type}</option>`)}</select>`)}
${field('from', 'From', (ids) => html`<input id="audit-from" name="from" type="datetime-local" step="1" value="${values.from}"${described(ids)}${invalid('from')}>`, 'UTC, inclusive')}
${field('to', 'To', (ids) => html`<input id="audit-to" name="to" type="datetime-local" step="1" value="${values.to}"${described(ids)}${invalid('to')}>`, 'UTC, inclusive')}
<div class="audit-actions"><button type="submit">Show records</button> <a href="/audit">Clear filters</a></div>
</form>`;
}

function resultsSection(filters: AuditFilters, results: AuditPage): SafeHtml {
  const filtered = Object.keys(filters.search).length > 0;
  const exportHref = `/audit/export${filterQuery(filters)}`;
  const heading = html`<h2 id="audit-records">${filtered ? 'Matching records' : 'Records'}, newest first</h2>
<p class="small"><a href="${exportHref}" download>Export ${filtered ? 'these filters' : 'the whole trail'} as JSON lines</a> <span class="muted">(oldest first, each record with its hashes, at most ${AUDIT_EXPORT_LIMIT.toLocaleString('en')} records: narrow the time range for more)</span></p>`;
  if (results.records.length === 0) {
    return html`${heading}<p class="empty">${filters.beforeSeq === undefined ? (filtered ? 'No records match these filters.' : 'The trail has no records yet.') : 'No older records match.'}</p>`;
  }
  const newer = filters.beforeSeq === undefined ? '' : html`<a href="${`/audit${filterQuery(filters)}`}">Newest records</a>`;
  const older = results.olderBeforeSeq === null ? '' : html`<a href="${`/audit${filterQuery(filters, { before: String(results.olderBeforeSeq) })}`}" rel="next">Older records</a>`;
  return html`${heading}
<div class="table-wrap"><table class="stack audit-table" aria-labelledby="audit-records">
<thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Event</th><th scope="col">Actor</th><th scope="col">Request / grant</th><th scope="col">Data</th><th scope="col">Hash</th></tr></thead>
<tbody>${results.records.map(auditRecordRow)}</tbody>
</table></div>
${newer === '' && older === '' ? '' : html`<nav class="audit-pages" aria-label="Pages of records">${newer} ${older}</nav>`}`;
}
