import { AuditChainVerifier, type AuditKey, type AuditVerification } from '../domain/audit.ts';
import type { StoreReader } from '../ports/store.ts';

/**
 * Re-computes the whole audit chain from the first record and reports the first broken link:
 * an edited record, a deleted one, a trail cut short of its recorded head, or (with `keys`, the
 * configured audit keys) a record whose HMAC someone without the key tried to recompute.
 */
export async function verifyAuditTrail(store: StoreReader, keys: readonly AuditKey[] = [], pageSize = 1000): Promise<AuditVerification> {
  const verifier = new AuditChainVerifier(keys);
  let after = 0;
  for (;;) {
    const page = await store.listAudit(after, pageSize);
    for (const record of page) {
      if (!verifier.push(record)) return verifier.finish(null);
    }
    if (page.length < pageSize) break;
    after = page[page.length - 1]!.seq;
  }
  return verifier.finish(await store.getAuditHead());
}
