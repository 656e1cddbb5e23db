import { auditRecordJson } from '../domain/audit.ts';
import type { StoreReader } from '../ports/store.ts';

/**
 * Streams the audit trail as JSON lines, oldest first, each line one record with its hashes,
 * so an external system can re-verify the chain on its own.
 */
export async function* exportAuditTrail(store: StoreReader, options: { afterSeq?: number; pageSize?: number } = {}): AsyncGenerator<string> {
  const pageSize = options.pageSize ?? 1000;
  let after = options.afterSeq ?? 0;
  for (;;) {
    const page = await store.listAudit(after, pageSize);
    for (const record of page) yield `${JSON.stringify(auditRecordJson(record))}\n`;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.seq;
  }
}
