import { ElevateError } from '../../../domain/errors.ts';


/**
 * Wraps a transaction handle so that using it after its transaction ended throws, as Prisma does
 * ("Transaction already closed"). Without this, a write the caller forgot to await would land in
 * a discarded copy and vanish silently in unit tests, yet fail in production.
 */
export function fencedTx<Tx extends object>(tx: Tx): { tx: Tx; end: () => void } {
  let ended = false;
  const fenced = new Proxy(tx, {
    get(target, property) {
      if (ended) throw new ElevateError('internal', 'A store transaction was used after it ended.');
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { tx: fenced, end: () => void (ended = true) };
}
