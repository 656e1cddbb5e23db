/**
 * Runs `work` for every item with at most `limit` calls in flight, each worker taking the next
 * item as soon as its previous one is done (so one slow item holds up only its own worker).
 * Rejects with the first failure; `work` that must not stop the others catches its own errors.
 */
export async function runWithConcurrency<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(workers);
}
