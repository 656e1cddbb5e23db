/**
 * Notes when requests arrive, and lets work wait for a lull between them.
 *
 * A chat platform wants every request acknowledged within seconds, and retries (or shows the
 * person an error) when it is not. Follow-up work — store transactions, Web API calls — runs on
 * the same event loop and, on a small machine, the same cores as the acknowledgements: started
 * in the middle of a burst, it makes every later acknowledgement wait. Work that waits for a lull
 * (no arrival for `quietMs`) starts once the burst has been acknowledged, and never later than
 * `maxWaitMs` after it asked, so a steady stream of requests cannot starve it.
 */
export class ArrivalLull {
  private lastArrival = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: { quietMs: number; maxWaitMs: number; now?: () => number }) {}

  noteArrival(): void {
    this.lastArrival = this.now();
  }

  /** Resolves once nothing has arrived for `quietMs`, or `maxWaitMs` from now, whichever is first. */
  whenQuiet(): Promise<void> {
    const deadline = this.now() + this.options.maxWaitMs;
    return new Promise((resolve) => {
      const check = () => {
        const now = this.now();
        const wait = Math.min(this.lastArrival + this.options.quietMs - now, deadline - now);
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
