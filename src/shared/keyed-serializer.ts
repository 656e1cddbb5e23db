/**
 * Runs tasks one after the other per key and concurrently across keys. Used, for one, so that two refreshes
 * of one request's messages (two approvers clicking at once) are applied in order: each builds
 * its view from the store only when its turn comes, so the last update shown is the newest state.
 * Per process only; across instances, the next change re-renders everything anyway.
 */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Whether a task of `key` is running or waiting. */
  isBusy(key: string): boolean {
    return this.tails.has(key);
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
