export { batchBody, PAYLOAD_FORMAT } from './payload.ts';
export { SIGNATURE_HEADER, signatureHeader, verifySignatureHeader } from './signature.ts';
export { WebhookAuditSink, type WebhookAuditSinkOptions } from './webhook-audit-sink.ts';
