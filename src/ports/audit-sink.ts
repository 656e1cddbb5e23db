import type { AuditRecord } from '../domain/audit.ts';

/** What became of one batch offered to a receiver. */
export type AuditDelivery =
  | { ok: true; status: number }
  /** `status`: the receiver's HTTP status when it answered; `problem`: a short machine word (`status`, `timeout`, `connection_refused`, …). */
  | { ok: false; status: number | null; problem: string };

/**
 * Where the audit stream sends records (the SIEM's webhook). The core hands it consecutive
 * records in `seq` order and moves its cursor only on `ok`; a sink never throws for a receiver's
 * failure, it reports it.
 */
export interface AuditSink {
  /** A short description for logs, without credentials (e.g. the receiver's origin). */
  readonly description: string;
  deliver(records: readonly AuditRecord[], signal?: AbortSignal): Promise<AuditDelivery>;
}
