/** How often a long poll reads the store again; the store is the truth every instance shares. */
export const POLL_INTERVAL_MS = 500;

/**
 * Reads `read()` again every {@link POLL_INTERVAL_MS} until its `version` differs from the first
 * one, `waitMs` passed, or `signal` aborted (the caller went away, the server is stopping), and
 * returns the latest value. Polling the store rather than listening in-process means a decision
 * taken on another instance ends the wait too.
 */
export async function waitForChange<T>(read: () => Promise<T>, version: (value: T) => string, waitMs: number, signal: AbortSignal): Promise<T> {
  let latest = await read();
  const start = version(latest);
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline && !signal.aborted) {
    await pause(Math.min(POLL_INTERVAL_MS, deadline - Date.now()), signal);
    if (signal.aborted) break;
    latest = await read();
    if (version(latest) !== start) break;
  }
  return latest;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
