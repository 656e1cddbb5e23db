import type { AuditRecord } from '../domain/audit.ts';
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
    for (const record of page) yield `${JSON.stringify(toJson(record))}\n`;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.seq;
  }
}

export function toJson(record: AuditRecord): Record<string, unknown> {
  return {
    seq: record.seq,
    at: record.at.toISOString(),
    type: record.type,
    actor: record.actor,
    requestId: record.requestId,
    grantId: record.grantId,
    data: record.data,
    prevHash: record.prevHash,
    hash: record.hash,
  };
}
