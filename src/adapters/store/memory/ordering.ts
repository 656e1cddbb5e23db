/**
 * The orders the store contract promises for list reads (the Prisma store sorts the same way in
 * SQL). Ties are broken by a unique key so every listing is deterministic.
 */
type Key<T> = (item: T) => string | number;

export function sortBy<T>(items: readonly T[], ...keys: Key<T>[]): T[] {
  return [...items].sort((a, b) => {
    for (const key of keys) {
      const x = key(a);
      const y = key(b);
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  });
}

export const time = (date: Date): number => date.getTime();
