import { WebhookAuditSink } from '../../src/adapters/audit-webhook/index.ts';
import { releaseAuditStream, streamAuditRecords, type StreamAuditOptions, type StreamAuditReport } from '../../src/app/stream-audit-records.ts';
import { AUDIT_WEBHOOK_STREAM } from '../../src/domain/audit-stream.ts';
import type { AuditEventInput } from '../../src/domain/audit.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { silentLogger, type Logger } from '../../src/logging/logger.ts';
import type { Store } from '../../src/ports/store.ts';
import type { AuditReceiver } from './audit-receiver.ts';

export const WEBHOOK_SECRET = 'audit-webhook-secret-for-tests-0123456789';

/** One instance's audit stream: its own holder name and its own sink, over a store it shares or not. */
export interface StreamInstance {
  holder: string;
  options: StreamAuditOptions;
  run(signal?: AbortSignal): Promise<StreamAuditReport>;
  release(): Promise<boolean>;
}

export function streamInstance(input: {
  holder: string;
  store: Store;
  clock: Clock;
  receiver: AuditReceiver;
  batchSize?: number;
  timeoutMs?: number;
  logger?: Logger;
}): StreamInstance {
  const timeoutMs = input.timeoutMs ?? 5_000;
  const sink = new WebhookAuditSink({ url: input.receiver.url, secret: WEBHOOK_SECRET, timeoutMs, clock: input.clock, userAgent: input.holder });
  const options: StreamAuditOptions = {
    stream: AUDIT_WEBHOOK_STREAM,
    holder: input.holder,
    batchSize: input.batchSize ?? 3,
    leaseMs: 30_000,
    deliveryTimeoutMs: timeoutMs,
    backoff: { baseMs: 1_000, maxMs: 8_000 },
  };
  // random = 1: the backoff is exactly its ceiling, so tests can name the instant of each retry.
  const deps = { store: input.store, clock: input.clock, sink, logger: input.logger ?? silentLogger(), random: () => 1 };
  return {
    holder: input.holder,
    options,
    run: (signal) => streamAuditRecords(deps, options, signal),
    release: () => releaseAuditStream(deps, options),
  };
}

/** Appends `count` events in one transaction, each with a distinct marker in its data. */
export async function appendEvents(store: Store, count: number, data: Record<string, unknown> = {}): Promise<void> {
  const events: AuditEventInput[] = Array.from({ length: count }, (_, i) => ({ type: 'message.posted', actor: 'system', requestId: `req-${i}`, data: { n: i, ...data } }));
  await store.transaction((tx) => tx.appendAudits(events));
}
