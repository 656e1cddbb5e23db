import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StoreReader } from '../../../../ports/store.ts';

export const CHANGE_POLL_MS = 1000;
export const CHANGE_HEARTBEAT_MS = 15_000;
/** After this, the feed ends; the browser's EventSource reconnects (and re-authenticates) by itself. */
export const CHANGE_FEED_MAX_MS = 10 * 60_000;
/** How long the browser waits before reconnecting after the feed ended. */
const RETRY_MS = 3000;
const LAST_EVENT_ID = /^\d{1,15}$/;

export interface ChangeFeedInput {
  store: StoreReader;
  /** Aborted when the server stops; the browser going away ends the feed too. */
  signal: AbortSignal;
  pollMs?: number;
  heartbeatMs?: number;
  maxMs?: number;
}

/**
 * Server-sent events that say "something changed" and nothing else: every state change appends
 * an audit record, so the audit chain's head moving is the signal, and reading it from the store
 * (not listening in-process) catches changes made by any instance — a Slack click handled
 * elsewhere included. Each event carries only the head's sequence number, the same for every
 * viewer; pages fetch themselves again through their own access checks to see what it was.
 *
 * The event id is that number, so a browser reconnecting with `Last-Event-ID` hears at once of a
 * change it missed in between. Resolves once the feed has ended: aborted, the browser gone, the
 * connection's time up, or the store failing (the browser retries after a pause).
 */
export function serveChangeFeed(req: IncomingMessage, res: ServerResponse, input: ChangeFeedInput): Promise<void> {
  const pollMs = input.pollMs ?? CHANGE_POLL_MS;
  const heartbeatMs = input.heartbeatMs ?? CHANGE_HEARTBEAT_MS;
  return new Promise((resolve) => {
    let last = lastEventId(req);
    let reading = false;
    const timers = [setInterval(poll, pollMs), setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs), setTimeout(stop, input.maxMs ?? CHANGE_FEED_MAX_MS)];
    input.signal.addEventListener('abort', stop, { once: true });
    req.once('close', stop);
    res.once('close', stop);

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // Proxies that buffer answers (nginx) would hold the events back.
      'x-accel-buffering': 'no',
    });
    res.write(`retry: ${RETRY_MS}\n\n`);
    if (input.signal.aborted) stop();
    else void poll();

    async function poll(): Promise<void> {
      if (reading || res.writableEnded) return;
      reading = true;
      try {
        const seq = (await input.store.getAuditHead())?.seq ?? 0;
        if (res.writableEnded) return;
        // The first reading of a fresh connection is the baseline, not a change.
        if (last !== null && seq !== last) res.write(`event: change\nid: ${seq}\ndata: ${seq}\n\n`);
        last = seq;
      } catch {
        // Nothing to say to the browser about why: it reconnects after RETRY_MS and tries again.
        stop();
      } finally {
        reading = false;
      }
    }

    function stop(): void {
      for (const timer of timers) clearTimeout(timer);
      input.signal.removeEventListener('abort', stop);
      if (!res.writableEnded) res.end();
      resolve();
    }
  });
}

/** The sequence number a reconnecting browser last heard of, or null on a first connection. */
function lastEventId(req: IncomingMessage): number | null {
  const header = req.headers['last-event-id'];
  return typeof header === 'string' && LAST_EVENT_ID.test(header) ? Number(header) : null;
}
