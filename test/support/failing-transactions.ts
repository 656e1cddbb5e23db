import type { Store, StoreTx } from '../../src/ports/store.ts';

/**
 * The store, except that inside its transactions `method` throws `error` whenever `when` says so
 * for its arguments (a deadlock, a lost connection, a timed-out transaction at that statement).
 * Everything else goes to the store as it is.
 */
export function failingInTransactions<M extends keyof StoreTx>(store: Store, method: M, error: Error, when: (args: unknown[]) => boolean = () => true): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'transaction') return Reflect.get(target, property, receiver);
      return <T>(work: (tx: StoreTx) => Promise<T>) =>
        target.transaction((tx) =>
          work(
            new Proxy(tx, {
              get(inner, name, innerReceiver) {
                const value = Reflect.get(inner, name, innerReceiver);
                if (typeof value !== 'function') return value;
                return (...args: unknown[]) => {
                  if (name === method && when(args)) return Promise.reject(error);
                  return (value as (...a: unknown[]) => unknown).apply(inner, args);
                };
              },
            }),
          ),
        );
    },
  });
}
