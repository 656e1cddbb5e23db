import { auditRecordJson, type AuditRecord } from '../domain/audit.ts';
import { ElevateError } from '../domain/errors.ts';
import { mayReadAuditTrail } from '../domain/principal.ts';
import type { AuditSearch, StoreReader } from '../ports/store.ts';
import { resolveActor, type Actor } from './actor.ts';

/** One page of the filtered trail, newest first, and where the next (older) page starts. */
export interface AuditPage {
  records: AuditRecord[];
  /** Pass as `beforeSeq` for the next page; null when this page holds the oldest match. */
  olderBeforeSeq: number | null;
}

/** The most records one export holds: the answer is built in memory, and a day of busy trail fits. */
export const AUDIT_EXPORT_LIMIT = 50_000;

/**
 * The dashboard's audit view: the records matching `search`, newest first, `pageSize` at a time,
 * for admins and auditors only. The filtering happens in the store (one statement), so a large
 * trail is never read whole for a page.
 */
export async function searchAuditTrail(
  deps: { store: StoreReader },
  actor: Actor,
  input: { search: Omit<AuditSearch, 'afterSeq'>; pageSize: number },
): Promise<AuditPage> {
  await requireAuditReader(deps.store, actor);
  const found = await deps.store.searchAudit(input.search, 'newest_first', input.pageSize + 1);
  const records = found.slice(0, input.pageSize);
  return { records, olderBeforeSeq: found.length > input.pageSize ? records.at(-1)!.seq : null };
}

/**
 * The filtered view as JSON lines, oldest first, each record with its hashes: the same lines as
 * `npm run audit -- export` and `GET /api/v1/audit`, so a receiver can recompute every record's
 * hash from its `prevHash` and, where the records follow each other, the chain between them.
 * At most {@link AUDIT_EXPORT_LIMIT} records; `truncated` says when more matched.
 */
export async function exportAuditSearch(
  deps: { store: StoreReader },
  actor: Actor,
  input: { search: Omit<AuditSearch, 'afterSeq' | 'beforeSeq'>; limit?: number; pageSize?: number },
): Promise<{ lines: string[]; truncated: boolean }> {
  await requireAuditReader(deps.store, actor);
  const limit = input.limit ?? AUDIT_EXPORT_LIMIT;
  const pageSize = input.pageSize ?? 1000;
  const lines: string[] = [];
  let afterSeq = 0;
  for (;;) {
    // One record past the limit tells a full export from a cut one.
    const wanted = Math.min(pageSize, limit + 1 - lines.length);
    const page = await deps.store.searchAudit({ ...input.search, afterSeq }, 'oldest_first', wanted);
    for (const record of page) {
      if (lines.length === limit) return { lines, truncated: true };
      lines.push(`${JSON.stringify(auditRecordJson(record))}\n`);
    }
    if (page.length < wanted) return { lines, truncated: false };
    afterSeq = page.at(-1)!.seq;
  }
}

async function requireAuditReader(store: StoreReader, actor: Actor): Promise<void> {
  const person = await resolveActor(store, actor);
  if (!mayReadAuditTrail(person)) throw new ElevateError('forbidden', 'Only Elevate admins and auditors can read the audit trail.', { details: { actor: person.id } });
}
