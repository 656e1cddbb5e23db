import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { serveChangeFeed, type ChangeFeedInput } from '../../../src/adapters/web/dashboard/live/change-feed.ts';
import { MemoryStore } from '../../../src/adapters/store/memory/memory-store.ts';
import type { StoreReader } from '../../../src/ports/store.ts';
import { T0 } from '../../support/builders.ts';
import { eventually } from '../../support/eventually.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A real HTTP server answering every request with the change feed; `ended` counts feeds that resolved. */
async function feedServer(store: StoreReader, options: Partial<ChangeFeedInput> = {}) {
  const server = createServer((req, res) => {
    void serveChangeFeed(req, res, { store, signal: options.signal ?? new AbortController().signal, pollMs: 20, ...options }).then(() => (state.ended += 1));
  });
  const state = { ended: 0, url: '' };
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  return state;
}

/** An open event stream: everything received so far, and whether the server ended it. */
async function subscribe(url: string, headers: Record<string, string> = {}) {
  const stream = { text: '', ended: false, response: undefined as IncomingMessage | undefined };
  stream.response = await new Promise<IncomingMessage>((resolve, reject) => get(url, { headers: { accept: 'text/event-stream', ...headers } }, resolve).on('error', reject));
  stream.response.setEncoding('utf8');
  stream.response.on('data', (chunk: string) => (stream.text += chunk));
  stream.response.on('end', () => (stream.ended = true));
  return stream;
}

const change = (store: MemoryStore) => store.transaction((tx) => tx.appendAudit({ type: 'request.created', actor: 'alice', data: { secret: 'INC-42 reason text' } }));

describe('the dashboard’s change feed', () => {
  it('answers an uncached event stream and says "change" with the audit head’s number when a record is appended, nothing more', async () => {
    const store = new MemoryStore(new FakeClock(T0));
    await change(store);
    const feed = await feedServer(store);
    const stream = await subscribe(feed.url);
    expect(stream.response?.statusCode).toBe(200);
    expect(stream.response?.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.response?.headers['cache-control']).toBe('no-store');
    await eventually(async () => stream.text.startsWith('retry: '));
    expect(stream.text).not.toContain('event: change');

    await change(store);
    await eventually(async () => stream.text.includes('event: change\nid: 2\ndata: 2\n\n'));
    await change(store);
    await change(store);
    await eventually(async () => stream.text.includes('data: 4\n\n'));
    expect(stream.text).not.toMatch(/INC-42|request\.created|alice/);
    stream.response?.destroy();
  });

  it('tells a reconnecting browser at once of a change it missed, by its Last-Event-ID', async () => {
    const store = new MemoryStore(new FakeClock(T0));
    await change(store);
    await change(store);
    const feed = await feedServer(store);
    const stream = await subscribe(feed.url, { 'last-event-id': '1' });
    await eventually(async () => stream.text.includes('event: change\nid: 2\ndata: 2\n\n'));
    const garbage = await subscribe(feed.url, { 'last-event-id': 'x<script>' });
    await eventually(async () => garbage.text.startsWith('retry: '));
    expect(garbage.text).not.toContain('event: change');
    stream.response?.destroy();
    garbage.response?.destroy();
  });

  it('keeps the connection alive with comments', async () => {
    const feed = await feedServer(new MemoryStore(new FakeClock(T0)), { heartbeatMs: 20 });
    const stream = await subscribe(feed.url);
    await eventually(async () => stream.text.includes(': keep-alive\n\n'));
    stream.response?.destroy();
  });

  it('ends the stream when the server aborts it, when its time is up, and when the browser goes away', async () => {
    const store = new MemoryStore(new FakeClock(T0));
    const stopping = new AbortController();
    const aborted = await feedServer(store, { signal: stopping.signal });
    const first = await subscribe(aborted.url);
    stopping.abort();
    await eventually(async () => first.ended && aborted.ended === 1);

    const capped = await feedServer(store, { maxMs: 100 });
    const second = await subscribe(capped.url);
    await eventually(async () => second.ended && capped.ended === 1);

    const left = await feedServer(store);
    const third = await subscribe(left.url);
    third.response?.destroy();
    await eventually(async () => left.ended === 1);
  });

  it('ends the stream when the store fails, so the browser retries later', async () => {
    const failing = { getAuditHead: () => Promise.reject(new Error('connection refused')) } as unknown as StoreReader;
    const feed = await feedServer(failing);
    const stream = await subscribe(feed.url);
    await eventually(async () => stream.ended && feed.ended === 1);
    expect(stream.text).toBe('retry: 3000\n\n');
  });
});
