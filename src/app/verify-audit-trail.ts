import { AuditChainVerifier, type AuditKey, type AuditVerification } from '../domain/audit.ts';
import type { StoreReader } from '../ports/store.ts';

/**
 * Re-computes the whole audit chain from the first record and reports the first broken link:
 * an edited record, a deleted one, a trail cut short of its recorded head, or (with `keys`, the
 * configured audit keys) a record whose HMAC someone without the key tried to recompute.
 */
export async function verifyAuditTrail(store: StoreReader, keys: readonly AuditKey[] = [], pageSize = 1000): Promise<AuditVerification> {
  const verifier = new AuditChainVerifier(keys);
  // The head first: records appended while the check reads are past it and not this check's
  // business, where reading the head last would report a running service's trail as cut short.
  let head = await store.getAuditHead();
  let pastHead = false;
  let after = 0;
  for (;;) {
    const page = await store.listAudit(after, pageSize);
    for (const record of page) {
      if (!pastHead && head !== null && record.seq > head.seq) {
        const current = await store.getAuditHead();
        // Appended since the check began: the trail up to the first head is what is judged.
        if (current !== null && current.seq >= record.seq) return verifier.finish(head);
        // A record past the head that no append accounts for: judged against the head as it is.
        head = current;
        pastHead = true;
      }
      if (!verifier.push(record)) return verifier.finish(null);
    }
    if (page.length < pageSize) break;
    after = page[page.length - 1]!.seq;
  }
  return verifier.finish(head);
}
