import { auditRecordJson, type AuditRecord } from '../../domain/audit.ts';

/** Names the payload's format, so a receiver can refuse one it does not know. */
export const PAYLOAD_FORMAT = 'elevate.audit.v1';

/**
 * The body of one POST: consecutive records in `seq` order, each exactly as the JSON-lines export
 * writes it (every field the hash covers, `keyId` when keyed, `prevHash` and `hash`), so what a
 * receiver stores can be checked against `npm run audit -- export` and `verify`.
 */
export function batchBody(records: readonly AuditRecord[]): string {
  return JSON.stringify({
    format: PAYLOAD_FORMAT,
    firstSeq: records[0]?.seq ?? null,
    lastSeq: records.at(-1)?.seq ?? null,
    records: records.map((record) => auditRecordJson(record)),
  });
}
