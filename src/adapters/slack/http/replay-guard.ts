import type { Clock } from '../../../domain/clock.ts';
import { MAX_REQUEST_AGE_SEC } from './verify-signature.ts';

/**
 * Remembers the signatures of requests accepted in the last five minutes, so the very same
 * signed request sent again (a captured request replayed inside the timestamp window) is refused.
 * Older requests need no memory: their timestamp already fails verification. Per process: with
 * several instances a replay can reach another one, where the core's compare-and-set makes a
 * repeated decision a no-op; a repeated `/elevate` would at worst create a second pending request.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly clock: Clock, private readonly maxEntries = 100_000) {}

  /** True the first time a signature is seen; false for a replay. */
  accept(signature: string, timestampSec: number): boolean {
    const nowSec = Math.floor(this.clock.now().getTime() / 1000);
    this.forgetOlderThan(nowSec - MAX_REQUEST_AGE_SEC - 1);
    if (this.seen.has(signature)) return false;
    if (this.seen.size >= this.maxEntries) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(signature, timestampSec);
    return true;
  }

  private forgetOlderThan(limitSec: number): void {
    // Insertion order is nearly timestamp order: stop at the first entry still young enough.
    for (const [signature, timestampSec] of this.seen) {
      if (timestampSec >= limitSec) break;
      this.seen.delete(signature);
    }
  }
}
