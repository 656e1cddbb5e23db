import { ElevateError } from '../../domain/errors.ts';

/**
 * A value that arrives after start-up: the embedded development AS answers discovery only once
 * the HTTP server listens, but the adapters that use the AS must be mounted before it does. A
 * caller in between waits for `bind` (up to `waitMs`) rather than failing a call made a moment
 * too early; after that it fails as retryable, like an AS that is not up yet.
 */
export class LateBinding<T> {
  private bound!: (value: T) => void;
  private readonly target = new Promise<T>((resolve) => (this.bound = resolve));

  constructor(private readonly waitMs = 15_000) {}

  bind(value: T): void {
    this.bound(value);
  }

  current(): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ElevateError('issuer_unavailable', 'The authorization server is not connected yet; try again in a moment.', { retryable: true })),
        this.waitMs,
      );
      timer.unref();
    });
    return Promise.race([this.target, timeout]).finally(() => clearTimeout(timer));
  }
}
