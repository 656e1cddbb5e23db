/** The logging calls the queue makes (pino's shape), so this file depends on no layer. */
export interface QueueLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface BoundedWorkLimits {
  /** Tasks running at once. */
  concurrency: number;
  /** Tasks waiting for a turn; past it, new work is refused and the caller answers "busy". */
  queued: number;
}

export interface BoundedWorkQueueOptions {
  /** Names the queue in its log lines ("slack requests"). */
  name: string;
  limits: BoundedWorkLimits;
  logger: QueueLogger;
  /** Reports a task that failed (the caller of `submit` also sees the failure). */
  onFailure(error: unknown, label: string): void;
  /** Awaited by each task, in its turn, before its work starts (see `ArrivalLull`). */
  beforeStart?: () => Promise<void>;
}

/**
 * Work that runs after a chat platform was answered: at most `concurrency` tasks at once, the
 * rest in a FIFO queue of at most `queued`, so a burst leaves a bounded backlog instead of an
 * unbounded pile of promises, and a caller learns at once (a refusal) when there is no room and
 * can tell the person so. `idle()` lets shutdown (and tests) wait until everything accepted ended.
 */
export class BoundedWorkQueue {
  private readonly waiting: { label: string; start: () => void }[] = [];
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: BoundedWorkQueueOptions) {}

  /** True when new work would be refused. */
  full(): boolean {
    return this.waiting.length >= this.options.limits.queued;
  }

  /** Accepts `work` (true) or, when the queue is full, refuses it (false) and logs why. Failures go to `onFailure`. */
  run(label: string, work: () => Promise<void>): boolean {
    const outcome = this.submit(label, work);
    if (outcome === null) return false;
    outcome.catch(() => undefined); // reported by onFailure
    return true;
  }

  /**
   * Like `run`, for a caller that awaits the outcome (an answer built from it): the work's
   * result, or null at once when the queue is full.
   */
  submit<T>(label: string, work: () => Promise<T>): Promise<T> | null {
    if (this.full()) {
      this.options.logger.warn(
        { queue: this.options.name, work: label, queued: this.waiting.length, running: this.running.size },
        `${this.options.name}: refused work, the queue is full`,
      );
      return null;
    }
    const { promise, resolve, reject } = withResolvers<T>();
    this.waiting.push({
      label,
      start: () => {
        const ready = this.options.beforeStart?.() ?? Promise.resolve();
        const task: Promise<void> = ready
          .then(work)
          .then(resolve, (error: unknown) => {
            this.options.onFailure(error, label);
            reject(error);
          })
          .finally(() => {
            this.running.delete(task);
            this.startNext();
          });
        this.running.add(task);
      },
    });
    this.startNext();
    return promise;
  }

  private startNext(): void {
    while (this.running.size < this.options.limits.concurrency && this.waiting.length > 0) this.waiting.shift()!.start();
  }

  /** Nothing running or waiting. */
  isIdle(): boolean {
    return this.running.size === 0 && this.waiting.length === 0;
  }

  async idle(): Promise<void> {
    while (this.running.size > 0 || this.waiting.length > 0) await Promise.allSettled([...this.running]);
  }
}

function withResolvers<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
