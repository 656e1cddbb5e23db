import type { Store, StoreTx } from '../../src/ports/store.ts';

/** The transaction methods that take a lock: rows (or a named lock) a use case must hold before it appends. */
const LOCKS = new Set(['lockRequest', 'lockGrant', 'lockConfiguration', 'lockPrincipal', 'claimDueGrants']);
const APPENDS = new Set(['appendAudit', 'appendAudits']);

/** Every violation seen by a watched store since the last {@link takeLockOrderViolations}. */
const seen: string[] = [];

/**
 * Watches `store` (in place: its `transaction` is replaced by one that watches each handle) for
 * the rule in audit-head.ts: inside one transaction every lock is taken before the first append
 * to the audit chain, which locks the chain's head until the commit. A transaction that locks
 * after appending could wait for a row held by another transaction that is itself waiting for the
 * head. A violation is recorded, not thrown, so the flow under test runs as it would; the test
 * setup (lock-order-setup.ts) fails the test that caused it.
 */
export function watchLockOrder<S extends Store>(store: S): S {
  const unwatched = store.transaction.bind(store);
  store.transaction = <T>(work: (tx: StoreTx) => Promise<T>) => unwatched((tx) => work(watchedTx(tx)));
  return store;
}

/** The violations recorded since the last call, which forgets them. */
export function takeLockOrderViolations(): string[] {
  return seen.splice(0, seen.length);
}

function watchedTx<Tx extends StoreTx>(tx: Tx): Tx {
  const calls: string[] = [];
  return new Proxy(tx, {
    get(inner, name, receiver) {
      const value = Reflect.get(inner, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const method = String(name);
        const call = `${method}(${typeof args[0] === 'string' ? args[0] : ''})`;
        if (LOCKS.has(method) && calls.some((earlier) => APPENDS.has(earlier.slice(0, earlier.indexOf('('))))) seen.push(`${call} after ${calls.join(', ')}`);
        calls.push(call);
        return (value as (...a: unknown[]) => unknown).apply(inner, args);
      };
    },
  });
}
