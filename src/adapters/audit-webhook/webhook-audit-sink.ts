import type { AuditRecord } from '../../domain/audit.ts';
import type { Clock } from '../../domain/clock.ts';
import type { AuditDelivery, AuditSink } from '../../ports/audit-sink.ts';
import { batchBody } from './payload.ts';
import { SIGNATURE_HEADER, signatureHeader } from './signature.ts';

export interface WebhookAuditSinkOptions {
  url: string;
  secret: string;
  timeoutMs: number;
  /** Stamps each signature's `t`. */
  clock: Clock;
  /** Injected for tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  userAgent?: string;
}

/**
 * POSTs batches of audit records to the receiver's URL, signed (see `signature.ts`). Only a 2xx
 * answer counts as delivered. Redirects are not followed: a 3xx is a failure, so signed audit data
 * never goes anywhere but the configured URL. The response body is never read into memory or logs.
 */
export class WebhookAuditSink implements AuditSink {
  readonly description: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: WebhookAuditSinkOptions) {
    // The origin only: a path or query may hold a token of the receiver's.
    this.description = new URL(options.url).origin;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async deliver(records: readonly AuditRecord[], signal?: AbortSignal): Promise<AuditDelivery> {
    const body = batchBody(records);
    const timestampSec = Math.floor(this.options.clock.now().getTime() / 1000);
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const response = await this.fetch(this.options.url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          'user-agent': this.options.userAgent ?? 'Elevate-Audit-Stream',
          [SIGNATURE_HEADER]: signatureHeader(this.options.secret, timestampSec, body),
        },
        body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      // Drain without reading: it frees the connection for the next batch.
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
      return { ok: false, status: response.status, problem: 'status' };
    } catch (error) {
      return { ok: false, status: null, problem: classify(error, timeout, signal) };
    }
  }
}

function classify(error: unknown, timeout: AbortSignal, signal: AbortSignal | undefined): string {
  if (signal?.aborted) return 'aborted';
  if (timeout.aborted) return 'timeout';
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : null;
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (code && /^(ERR_TLS|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(code)) return 'tls';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection_reset';
  return 'network_error';
}
