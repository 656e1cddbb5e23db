/**
 * Notes when requests arrive, and lets work wait for a lull between them.
 *
 * A chat platform wants every request acknowledged within seconds, and retries (or shows the
 * person an error) when it is not. Follow-up work — store transactions, Web API calls — runs on
 * the same event loop and, on a small machine, the same cores as the acknowledgements: started
 * in the middle of a burst, it makes every later acknowledgement wait. Work that waits for a lull
 * (no arrival for `quietMs`) starts once the burst has been acknowledged. Only the first
 * `maxWaitMs` of a burst are held back: a stream that goes on longer is not a burst to wait out,
 * and holding its work back would only pile it up.
 */
export class ArrivalLull {
  private lastArrival = Number.NEGATIVE_INFINITY;
  /** When the current run of arrivals, none more than `quietMs` after the one before, began. */
  private burstStart = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: { quietMs: number; maxWaitMs: number; now?: () => number }) {}

  noteArrival(): void {
    const now = this.now();
    if (now - this.lastArrival >= this.options.quietMs) this.burstStart = now;
    this.lastArrival = now;
  }

  /** Resolves once nothing has arrived for `quietMs`, or once the current burst is `maxWaitMs` old. */
  whenQuiet(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        const now = this.now();
        const wait = Math.min(this.lastArrival + this.options.quietMs - now, this.burstStart + this.options.maxWaitMs - now);
        if (wait <= 0) return resolve();
        setTimeout(check, Math.ceil(wait));
      };
      check();
    });
  }

  private now(): number {
    return (this.options.now ?? performance.now.bind(performance))();
  }
}
