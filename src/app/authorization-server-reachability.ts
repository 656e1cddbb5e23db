import type { Clock } from '../domain/clock.ts';
import type { AuthorizationServerProbe } from '../ports/authorization-server-probe.ts';

/** What the operations page shows about the AS. */
export interface Reachability {
  issuer: string;
  reachable: boolean;
  /** How long the probe took (up to the time limit when it gave up). */
  latencyMs: number;
  checkedAt: Date;
  /** Why it is unreachable, as a plain sentence; null when reachable. */
  problem: string | null;
}

export const REACHABILITY_TIMEOUT_MS = 2_000;
export const REACHABILITY_TTL_MS = 15_000;

/**
 * Whether the AS answers, checked at most every {@link REACHABILITY_TTL_MS} and for at most
 * {@link REACHABILITY_TIMEOUT_MS}, so the operations page stays fast and an outage costs the AS
 * one probe per interval however many admins look. Concurrent views share one probe in flight.
 */
export class AuthorizationServerReachability {
  private last: Reachability | null = null;
  private inFlight: Promise<Reachability> | null = null;

  constructor(
    private readonly probe: AuthorizationServerProbe,
    private readonly clock: Clock,
    private readonly options: { timeoutMs?: number; ttlMs?: number } = {},
  ) {}

  async current(): Promise<Reachability> {
    const ttl = this.options.ttlMs ?? REACHABILITY_TTL_MS;
    if (this.last && this.clock.now().getTime() - this.last.checkedAt.getTime() < ttl) return this.last;
    this.inFlight ??= this.check().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async check(): Promise<Reachability> {
    const started = Date.now();
    const timeoutMs = this.options.timeoutMs ?? REACHABILITY_TIMEOUT_MS;
    let problem: string | null = null;
    try {
      const signal = AbortSignal.timeout(timeoutMs);
      // The time limit holds even for a probe that ignores its signal: the page never waits longer.
      const expired = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
      await Promise.race([this.probe.probe(signal), expired]);
    } catch (error) {
      problem = (error as Error)?.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : plainProblem(error);
    }
    this.last = { issuer: this.probe.issuer, reachable: problem === null, latencyMs: Date.now() - started, checkedAt: this.clock.now(), problem };
    return this.last;
  }
}

/** The probe's sentence, bounded; anything that is not an Error says only that it failed. */
function plainProblem(error: unknown): string {
  return error instanceof Error && error.message ? error.message.slice(0, 200) : 'the check failed';
}
