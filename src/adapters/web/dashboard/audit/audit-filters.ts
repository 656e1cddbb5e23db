import { AUDIT_EVENT_TYPES, type AuditEventType } from '../../../../domain/audit.ts';
import type { AuditSearch } from '../../../../ports/store.ts';
import { dateTimeLocalValue } from '../time-words.ts';

/** The query parameters of the audit page and its export. */
export const FILTER_FIELDS = ['person', 'scope', 'event', 'from', 'to'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

export interface FilterProblem {
  field: FilterField | 'before';
  message: string;
}

/** What a person asked for, checked: the search, the values to show back in the form, and what was wrong. */
export interface AuditFilters {
  search: Omit<AuditSearch, 'afterSeq' | 'beforeSeq'>;
  beforeSeq: number | undefined;
  /** The form's values: as typed where valid, normalised for times. */
  values: Record<FilterField, string>;
  problems: FilterProblem[];
}

const SCOPE_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?$/i;

/**
 * Reads the audit filters from a URL's query. Every value is checked before it reaches the store:
 * a principal id (at most 200 characters, no control characters), a scope name as the config
 * file spells them, an event from the closed list, and times as `datetime-local` sends them
 * (read as UTC) or ISO 8601 with a zone. `to` is inclusive: a time given to the minute covers that
 * whole minute.
 */
export function readAuditFilters(query: URLSearchParams): AuditFilters {
  const problems: FilterProblem[] = [];
  const raw = (field: string) => (query.get(field) ?? '').trim();
  const values: Record<FilterField, string> = { person: raw('person'), scope: raw('scope'), event: raw('event'), from: raw('from'), to: raw('to') };
  const search: AuditFilters['search'] = {};

  if (values.person !== '') {
    if (values.person.length > 200 || CONTROL.test(values.person)) problems.push({ field: 'person', message: 'Enter a principal id: at most 200 characters, on one line.' });
    else search.person = values.person;
  }
  if (values.scope !== '') {
    if (!SCOPE_NAME.test(values.scope)) problems.push({ field: 'scope', message: 'Enter a scope name: lower-case letters, digits, ".", "_" or "-", at most 63.' });
    else search.scopeName = values.scope;
  }
  if (values.event !== '') {
    if (!(AUDIT_EVENT_TYPES as readonly string[]).includes(values.event)) problems.push({ field: 'event', message: 'Choose an event from the list.' });
    else search.type = values.event as AuditEventType;
  }
  for (const field of ['from', 'to'] as const) {
    if (values[field] === '') continue;
    const instant = parseInstant(values[field], field === 'to' ? 'end' : 'start');
    if (instant === null) {
      problems.push({ field, message: `“${values[field].slice(0, 40)}” is not a date and time: use the picker, or write 2026-03-02T09:00 (UTC) or an ISO 8601 time with its zone.` });
    } else {
      search[field] = instant;
      values[field] = dateTimeLocalValue(field === 'to' && instant.getUTCMilliseconds() === 999 ? new Date(instant.getTime() - 999) : instant);
    }
  }
  if (search.from && search.to && search.from > search.to) problems.push({ field: 'to', message: 'The end is before the start.' });

  let beforeSeq: number | undefined;
  const before = raw('before');
  if (before !== '') {
    if (!/^[1-9]\d{0,14}$/.test(before)) problems.push({ field: 'before', message: 'That page link is not valid; start again from the newest records.' });
    else beforeSeq = Number(before);
  }
  return { search, beforeSeq, values, problems };
}

/**
 * An instant from `datetime-local` text (no zone: UTC) or ISO 8601 with a zone; null when it is
 * neither or names a day that does not exist. For the `end` of a range, a time without seconds
 * means the end of that minute, and one without milliseconds the end of that second.
 */
export function parseInstant(text: string, edge: 'start' | 'end'): Date | null {
  const match = DATE_TIME.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, ms, zone] = match;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), Number((ms ?? '0').padEnd(3, '0')));
  const check = new Date(utc);
  if (check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return null;
  const offsetMs = zone === undefined || zone.toUpperCase() === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  let instant = utc - offsetMs;
  if (edge === 'end' && ms === undefined) instant += s === undefined ? 59_999 : 999;
  return new Date(instant);
}

/** The query string that asks for the same filters (for the export link and the next page). */
export function filterQuery(filters: AuditFilters, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams();
  for (const field of FILTER_FIELDS) if (filters.values[field] !== '') query.set(field, filters.values[field]);
  for (const [name, value] of Object.entries(extra)) query.set(name, value);
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}
