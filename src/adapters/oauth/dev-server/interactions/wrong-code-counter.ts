/** How long a count is kept: an interaction lives ten minutes. */
const KEEP_MS = 10 * 60 * 1000;

/**
 * Wrong one-time codes per sign-in (interaction uid), so a sign-in ends after a few instead of
 * letting a six-digit code be guessed. In memory, like the interactions themselves; counts of
 * sign-ins abandoned half-way are dropped once they are older than any interaction can be.
 */
export class WrongCodeCounter {
  private readonly counts = new Map<string, { wrong: number; since: number }>();

  constructor(private readonly nowMs: () => number) {}

  /** Counts one more wrong code for the sign-in; answers how many it has had. */
  add(uid: string): number {
    const now = this.nowMs();
    for (const [key, entry] of this.counts) if (now - entry.since > KEEP_MS) this.counts.delete(key);
    const entry = this.counts.get(uid) ?? { wrong: 0, since: now };
    entry.wrong += 1;
    this.counts.set(uid, entry);
    return entry.wrong;
  }

  forget(uid: string): void {
    this.counts.delete(uid);
  }
}
