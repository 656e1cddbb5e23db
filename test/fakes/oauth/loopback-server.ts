import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  readonly server: Server;
  readonly origin: string;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 and a random port; `close` also drops kept-alive and hanging sockets. */
export async function listenOnLoopback(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<LoopbackServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A port that was just free: nothing listens there, so connecting is refused. */
export async function unusedLoopbackOrigin(): Promise<string> {
  const probe = await listenOnLoopback(() => undefined);
  await probe.close();
  return probe.origin;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
