import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import WebSocket, { Server as WebSocketServer } from 'ws';

export interface FakeSocketMode {
  /** The `wss://…`-style URL `apps.connections.open` hands out (here plain ws on loopback). */
  readonly url: string;
  /** Resolves once a client has connected and been greeted with `hello`. */
  connected(): Promise<void>;
  /** Sends an envelope the way Slack does and resolves with the client's acknowledgement. */
  deliver(type: 'slash_commands' | 'interactive' | 'events_api', payload: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * A fake of Slack's Socket Mode endpoint: a real WebSocket server that greets with `hello`,
 * delivers envelopes (`envelope_id`, `type`, `payload`, `accepts_response_payload`) and waits for
 * the client to acknowledge each by its envelope id, as Slack does.
 */
export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  let client: WebSocket | null = null;
  let greeted: () => void;
  const greeting = new Promise<void>((resolve) => (greeted = resolve));
  const pendingAcks = new Map<string, (ack: Record<string, unknown>) => void>();

  server.on('connection', (socket) => {
    client = socket;
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      const envelopeId = typeof message.envelope_id === 'string' ? message.envelope_id : null;
      if (envelopeId) pendingAcks.get(envelopeId)?.(message);
    });
    socket.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake-socket-mode', approximate_connection_time: 3600 }, connection_info: { app_id: 'A0ELEVATE' } }));
    greeted();
  });

  return {
    url: `ws://127.0.0.1:${port}/link/?ticket=${randomUUID()}`,
    connected: () => greeting,
    deliver(type, payload) {
      if (!client) throw new Error('no Socket Mode client is connected');
      const envelopeId = randomUUID();
      const acked = new Promise<Record<string, unknown>>((resolve) => pendingAcks.set(envelopeId, resolve));
      client.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api' }));
      return acked;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of server.clients) socket.terminate();
        server.close(() => resolve());
      }),
  };
}
