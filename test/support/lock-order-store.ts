import type { Store, StoreTx } from '../../src/ports/store.ts';

/** The transaction methods that take a lock: rows (or a named lock) a use case must hold before it appends. */
const LOCKS = new Set(['lockRequest', 'lockGrant', 'lockConfiguration', 'lockPrincipal', 'claimDueGrants']);
const APPENDS = new Set(['appendAudit', 'appendAudits']);

/**
 * The store, watched for the rule in audit-head.ts: inside one transaction every lock is taken
 * before the first append to the audit chain (which locks the chain's head until the commit). A
 * transaction that locks after appending could wait for a row held by another transaction that
 * is itself waiting for the head. The first such call is kept in `violations` (and the
 * transaction goes on, so the flow under test is not changed).
 */
export function lockOrderChecked(store: Store): { store: Store; violations: string[] } {
  const violations: string[] = [];
  const checked = new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'transaction') return Reflect.get(target, property, receiver);
      return <T>(work: (tx: StoreTx) => Promise<T>) =>
        target.transaction((tx) => {
          const calls: string[] = [];
          return work(
            new Proxy(tx, {
              get(inner, name, innerReceiver) {
                const value = Reflect.get(inner, name, innerReceiver);
                if (typeof value !== 'function') return value;
                return (...args: unknown[]) => {
                  const call = `${String(name)}(${typeof args[0] === 'string' ? args[0] : ''})`;
                  if (LOCKS.has(String(name)) && calls.some((earlier) => APPENDS.has(earlier.split('(')[0]!))) violations.push(`${call} after ${calls.join(', ')}`);
                  calls.push(call);
                  return (value as (...a: unknown[]) => unknown).apply(inner, args);
                };
              },
            }),
          );
        });
    },
  });
  return { store: checked, violations };
}
