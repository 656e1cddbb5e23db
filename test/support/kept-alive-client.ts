import { Agent, request as httpRequest } from 'node:http';

export interface KeptAliveAnswer {
  status: number;
  connection: string | undefined;
  text: string;
}

/**
 * An HTTP client with one kept-alive socket (`maxSockets: 1`), so every request after the first
 * rides the connection the previous one left behind: a server that leaves a refused body unread
 * and keeps the connection open would have the next request stall or be reset.
 */
export class KeptAliveClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  post(url: string, headers: Record<string, string>, body: string | Buffer, options: { timeoutMs?: number } = {}): Promise<KeptAliveAnswer> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, { method: 'POST', agent: this.agent, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, text }));
      });
      req.setTimeout(options.timeoutMs ?? 3_000, () => req.destroy(new Error(`no answer from ${url} within ${options.timeoutMs ?? 3_000} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
