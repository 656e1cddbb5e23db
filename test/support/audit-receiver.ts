import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the receiver answers the next delivery: `accept` (store it, 200), a status (store nothing),
 * or `hang` (store it, then never answer: the sender times out although the batch arrived).
 */
export type ReceiverAnswer = 'accept' | 'hang' | number;

export interface ReceivedRecord {
  seq: number;
  at: string;
  type: string;
  actor: string;
  requestId: string | null;
  grantId: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  keyId?: string;
  hash: string;
}

export interface Delivery {
  signatureValid: boolean;
  userAgent: string;
  firstSeq: number;
  lastSeq: number;
  answer: ReceiverAnswer;
}

const GENESIS = '0'.repeat(64);

/**
 * A SIEM's webhook, as the README tells one to write it, on a loopback port: it checks the
 * `Elevate-Signature` header (HMAC-SHA256 over `<t>.<body>`, `t` within five minutes of its own
 * clock), then rebuilds the chain from what it received alone — each record's `seq` follows the
 * last one it holds and its `prevHash` is that record's `hash`; a record without `keyId` has its
 * hash recomputed (plain SHA-256); a record sent again must be identical to the one it holds.
 * It shares no code with Elevate.
 */
export class AuditReceiver {
  readonly answers: ReceiverAnswer[] = [];
  readonly deliveries: Delivery[] = [];
  /** Every accepted record in arrival order, duplicates included. */
  readonly accepted: number[] = [];
  readonly stored = new Map<number, ReceivedRecord>();
  readonly problems: string[] = [];
  maxInFlight = 0;
  private inFlight = 0;
  private lastSeq = 0;
  private lastHash = GENESIS;
  private server: Server;
  private port = 0;

  private constructor(
    private readonly secret: string,
    private readonly nowSec: () => number,
  ) {
    this.server = this.newServer();
  }

  static async start(secret: string, nowSec: () => number = () => Math.floor(Date.now() / 1000)): Promise<AuditReceiver> {
    const receiver = new AuditReceiver(secret, nowSec);
    await receiver.listen(0);
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/elevate/audit`;
  }

  /** Seqs of the records held, in order. */
  storedSeqs(): number[] {
    return [...this.stored.keys()].sort((a, b) => a - b);
  }

  /** Goes away: connections are cut and new ones refused, until {@link restart}. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async restart(): Promise<void> {
    this.server = this.newServer();
    await this.listen(this.port);
  }

  private async listen(port: number): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  private newServer(): Server {
    return createServer((req, res) => void this.handle(req, res));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => (this.inFlight -= 1));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');

    const signatureValid = this.verifySignature(req.headers['elevate-signature'], body);
    const batch = JSON.parse(body) as { format: string; firstSeq: number; lastSeq: number; records: ReceivedRecord[] };
    const answer = this.answers.shift() ?? 'accept';
    this.deliveries.push({ signatureValid, userAgent: String(req.headers['user-agent']), firstSeq: batch.firstSeq, lastSeq: batch.lastSeq, answer });
    if (!signatureValid) return void res.writeHead(401).end();
    if (typeof answer === 'number') return void res.writeHead(answer, answer >= 300 && answer < 400 ? { location: 'http://127.0.0.1:9/elsewhere' } : {}).end();
    if (batch.format !== 'elevate.audit.v1') this.problems.push(`unknown format ${batch.format}`);
    for (const record of batch.records) this.take(record);
    if (answer === 'hang') return; // stored, but the sender never hears back
    res.writeHead(200).end();
  }

  /** The README's verification, step for step. */
  private verifySignature(header: string | string[] | undefined, body: string): boolean {
    const parts = Object.fromEntries(String(header ?? '').split(',').map((kv) => kv.split('=') as [string, string]));
    const t = Number(parts.t);
    if (!Number.isInteger(t) || Math.abs(this.nowSec() - t) > 300) return false;
    const expected = createHmac('sha256', this.secret).update(`${t}.${body}`).digest();
    const given = Buffer.from(parts.v1 ?? '', 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private take(record: ReceivedRecord): void {
    this.accepted.push(record.seq);
    const held = this.stored.get(record.seq);
    if (held) {
      if (canonical(held) !== canonical(record)) this.problems.push(`record ${record.seq} sent again with other content`);
      return;
    }
    if (record.seq !== this.lastSeq + 1) this.problems.push(`record ${record.seq} arrived after record ${this.lastSeq}`);
    if (record.prevHash !== this.lastHash) this.problems.push(`record ${record.seq} does not point at the hash of record ${this.lastSeq}`);
    if (record.keyId === undefined) {
      const { hash, ...rest } = record;
      const recomputed = createHash('sha256').update(`${record.prevHash}\n${canonical(rest)}`).digest('hex');
      if (recomputed !== hash) this.problems.push(`record ${record.seq} does not match its hash`);
    }
    this.stored.set(record.seq, record);
    this.lastSeq = record.seq;
    this.lastHash = record.hash;
  }
}

/** JSON with object keys sorted at every level: the form the chain's hashes cover. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}
