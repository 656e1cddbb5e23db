import type { Store } from '../ports/store.ts';

/**
 * Appends an `audit.key_in_use` record when the newest record was not chained with `keyId`: right
 * after a key is first configured (the trail so far is plain SHA-256) or rotated. The record is
 * chained with the key, so from then on every record before it is covered by a keyed link and
 * `audit verify` can say so without waiting for the next event. An empty trail needs nothing.
 */
export async function recordAuditKeyInUse(store: Store, keyId: string): Promise<boolean> {
  const head = await store.getAuditHead();
  if (!head) return false;
  const [newest] = await store.listAudit(head.seq - 1, 1);
  if (newest?.keyId === keyId) return false;
  await store.transaction((tx) => tx.appendAudit({ type: 'audit.key_in_use', actor: 'system', data: { keyId, previousKeyId: newest?.keyId ?? null } }));
  return true;
}
