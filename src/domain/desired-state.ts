import type { ChannelMapping, ChatIdentity, Principal } from './principal.ts';
import type { ScopeDefinition } from './scope.ts';

/** A principal as the configuration file describes it: without what the service maintains itself. */
export type DesiredPrincipal = Omit<Principal, 'lastSeenAt' | 'createdAt'>;

/** What the configuration file says should exist; the database is brought to match it. */
export interface DesiredState {
  admins: string[];
  principals: DesiredPrincipal[];
  identities: ChatIdentity[];
  scopes: ScopeDefinition[];
  mappings: ChannelMapping[];
}

export type ConfigEntity = 'principal' | 'identity' | 'scope' | 'mapping';

export interface ConfigChange {
  action: 'add' | 'change' | 'remove';
  entity: ConfigEntity;
  key: string;
  /** For changes: the fields that differ, as before → after text. */
  fields: { field: string; before: unknown; after: unknown }[];
  before: unknown;
  after: unknown;
}

/** The current database contents in the same shape. */
export type CurrentState = Omit<DesiredState, 'admins' | 'principals'> & { principals: Principal[] };

/**
 * Compares what is with what should be. Pure, so `plan` and `apply` show and do exactly the same
 * thing. Fields that the service itself maintains (a principal's `lastSeenAt` and `createdAt`) are
 * not compared.
 */
export function diffConfig(current: CurrentState, desired: DesiredState): ConfigChange[] {
  return [
    ...diffById<DesiredPrincipal>('principal', current.principals, desired.principals, (p) => p.id, ({ id, displayName, email, kind, isAdmin, isAuditor }) => ({ id, displayName, email, kind, isAdmin, isAuditor })),
    ...diffById('identity', current.identities, desired.identities, (i) => `${i.platform}:${i.userId}`, (i) => i),
    ...diffById('scope', current.scopes, desired.scopes, (s) => s.name, (s) => s),
    ...diffById('mapping', current.mappings, desired.mappings, (m) => `${m.platform}:${m.channelId}:${m.scopeName}`, (m) => m),
  ];
}

function diffById<T extends object>(
  entity: ConfigEntity,
  current: readonly T[],
  desired: readonly T[],
  keyOf: (item: T) => string,
  comparable: (item: T) => T,
): ConfigChange[] {
  const changes: ConfigChange[] = [];
  const before = new Map(current.map((item) => [keyOf(item), item]));
  const after = new Map(desired.map((item) => [keyOf(item), item]));
  for (const [key, wanted] of after) {
    const existing = before.get(key);
    if (!existing) {
      changes.push({ action: 'add', entity, key, fields: [], before: null, after: wanted });
      continue;
    }
    const fields = changedFields(comparable(existing), comparable(wanted));
    if (fields.length > 0) changes.push({ action: 'change', entity, key, fields, before: existing, after: wanted });
  }
  for (const [key, existing] of before) {
    if (!after.has(key)) changes.push({ action: 'remove', entity, key, fields: [], before: existing, after: null });
  }
  return changes;
}

function changedFields(a: object, b: object): ConfigChange['fields'] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out: ConfigChange['fields'] = [];
  for (const key of [...keys].sort()) {
    const x = (a as Record<string, unknown>)[key];
    const y = (b as Record<string, unknown>)[key];
    if (JSON.stringify(normalise(x)) !== JSON.stringify(normalise(y))) out.push({ field: key, before: x ?? null, after: y ?? null });
  }
  return out;
}

/** Arrays of names compare as sets; objects compare by sorted keys. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return [...value].map(normalise).sort();
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).sort(([k1], [k2]) => k1.localeCompare(k2)).map(([k, v]) => [k, normalise(v)]));
  }
  return value ?? null;
}

export function describeChange(change: ConfigChange): string {
  const sign = change.action === 'add' ? '+' : change.action === 'remove' ? '-' : '~';
  const head = `${sign} ${change.entity} ${change.key}`;
  if (change.action !== 'change') return head;
  return `${head}: ${change.fields.map((f) => `${f.field} ${JSON.stringify(f.before)} → ${JSON.stringify(f.after)}`).join('; ')}`;
}
