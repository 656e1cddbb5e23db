/** How long wrong codes count against a person (RFC 4226 §7.3: throttle after a few failures). */
export const WRONG_CODE_WINDOW_MS = 5 * 60 * 1000;

/**
 * Wrong one-time codes per person, so a six-digit code cannot be guessed by starting sign-in
 * after sign-in (each would otherwise bring fresh tries): the count runs from the first wrong code
 * for `WRONG_CODE_WINDOW_MS` and is cleared by a right one. In memory, like the sessions; a
 * restart forgets it (development only).
 */
export class WrongCodeCounter {
  private readonly counts = new Map<string, { wrong: number; since: number }>();

  constructor(private readonly nowMs: () => number) {}

  /** Wrong codes for this person in the current window. */
  count(principalId: string): number {
    this.prune();
    return this.counts.get(principalId)?.wrong ?? 0;
  }

  /** Counts one more wrong code; answers how many the window has now. */
  add(principalId: string): number {
    this.prune();
    const entry = this.counts.get(principalId) ?? { wrong: 0, since: this.nowMs() };
    entry.wrong += 1;
    this.counts.set(principalId, entry);
    return entry.wrong;
  }

  /** Seconds until the person's window ends (0 when there is none). */
  secondsLeft(principalId: string): number {
    const entry = this.counts.get(principalId);
    return entry === undefined ? 0 : Math.max(0, Math.ceil((entry.since + WRONG_CODE_WINDOW_MS - this.nowMs()) / 1000));
  }

  forget(principalId: string): void {
    this.counts.delete(principalId);
  }

  private prune(): void {
    const now = this.nowMs();
    for (const [key, entry] of this.counts) if (now - entry.since >= WRONG_CODE_WINDOW_MS) this.counts.delete(key);
  }
}
