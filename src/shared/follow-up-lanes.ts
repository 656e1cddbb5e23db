import { BoundedWorkQueue, type BoundedWorkLimits, type QueueLogger } from './bounded-work-queue.ts';

/**
 * `requests`: new requests, forms, lists, admin commands, home views — what a burst is made of.
 * `decisions`: what acts on a request or grant that exists (approve, deny, cancel, end, revoke,
 * reveal), so a reviewer's click never waits behind a burst of new requests.
 */
export type FollowUpLane = 'requests' | 'decisions';

export type FollowUpLimits = Record<FollowUpLane, BoundedWorkLimits>;

/**
 * Measured with 600 signed `/elevate` commands in 8 s (embedded PGlite): with every follow-up
 * started at once, hundreds of flows kept the single store thread's queue full, so each sweep's
 * queries waited behind them (sweeps overlapped, revocations stalled) and reviewer messages came
 * tens of seconds late. A few at a time keep the store busy while the sweeper's queries wait
 * behind only those few. Decisions get their own few, beside the requests' eight.
 */
export const DEFAULT_FOLLOW_UP_LIMITS: FollowUpLimits = {
  requests: { concurrency: 8, queued: 2_000 },
  decisions: { concurrency: 4, queued: 500 },
};

export interface FollowUpLanesOptions {
  /** Prefix of the lanes' names in log lines ("slack" → "slack requests"). */
  name: string;
  logger: QueueLogger;
  limits?: { [lane in FollowUpLane]?: Partial<BoundedWorkLimits> };
  onFailure(error: unknown, label: string): void;
  /**
   * Awaited before each task of the `requests` lane starts: a lull in the platform's requests, so
   * a burst is acknowledged before its follow-ups compete with it. Decisions never wait for it.
   */
  requestsWaitFor?: () => Promise<void>;
}

/** A chat adapter's follow-up work: two bounded queues, one per {@link FollowUpLane}. */
export class FollowUpLanes {
  private readonly lanes: Record<FollowUpLane, BoundedWorkQueue>;

  constructor(options: FollowUpLanesOptions) {
    const queue = (lane: FollowUpLane) =>
      new BoundedWorkQueue({
        name: `${options.name} ${lane}`,
        limits: { ...DEFAULT_FOLLOW_UP_LIMITS[lane], ...options.limits?.[lane] },
        logger: options.logger,
        onFailure: options.onFailure,
        ...(lane === 'requests' && options.requestsWaitFor ? { beforeStart: options.requestsWaitFor } : {}),
      });
    this.lanes = { requests: queue('requests'), decisions: queue('decisions') };
  }

  lane(lane: FollowUpLane): BoundedWorkQueue {
    return this.lanes[lane];
  }

  get requests(): BoundedWorkQueue {
    return this.lanes.requests;
  }

  get decisions(): BoundedWorkQueue {
    return this.lanes.decisions;
  }

  /** Resolves once both lanes have nothing running or waiting. */
  async idle(): Promise<void> {
    do {
      await this.lanes.requests.idle();
      await this.lanes.decisions.idle();
    } while (!this.lanes.requests.isIdle() || !this.lanes.decisions.isIdle());
  }
}
