/**
 * A first-come, first-served lock for async work. The in-memory store runs one transaction at a
 * time through it, which gives it the isolation a database gives the Prisma store (there, row
 * locks serialise only the transactions that touch the same rows; here everything serialises,
 * which is stricter and therefore still correct).
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async runExclusive<T>(work: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.tail;
    this.tail = previous.then(() => turn);
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }
}
