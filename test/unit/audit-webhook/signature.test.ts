import { describe, expect, it } from 'vitest';
import { batchBody, signatureHeader, verifySignatureHeader } from '../../../src/adapters/audit-webhook/index.ts';
import { chainAuditRecord, auditRecordJson } from '../../../src/domain/audit.ts';
import { T0 } from '../../support/builders.ts';

const SECRET = 'audit-webhook-secret-for-tests-0123456789';
const BODY = '{"format":"elevate.audit.v1"}';
const T = 1764750000;

describe('the Elevate-Signature header', () => {
  it('is HMAC-SHA256 over "<t>.<body>", as openssl computes it', () => {
    // printf '%s' '1764750000.{"format":"elevate.audit.v1"}' | openssl dgst -sha256 -hmac "$SECRET"
    expect(signatureHeader(SECRET, T, BODY)).toBe('t=1764750000,v1=9eeb359948797bb422b201e5684c6ca870c787a50f9c7a2fbb5760d27629bcb1');
  });

  it('verifies within the tolerance and refuses a changed body, another secret, an old or future timestamp, and junk', () => {
    const header = signatureHeader(SECRET, T, BODY);
    expect(verifySignatureHeader({ secret: SECRET, header, body: BODY, nowSec: T + 299 })).toBe(true);
    expect(verifySignatureHeader({ secret: SECRET, header, body: `${BODY} `, nowSec: T })).toBe(false);
    expect(verifySignatureHeader({ secret: `${SECRET}x`, header, body: BODY, nowSec: T })).toBe(false);
    expect(verifySignatureHeader({ secret: SECRET, header, body: BODY, nowSec: T + 301 })).toBe(false);
    expect(verifySignatureHeader({ secret: SECRET, header, body: BODY, nowSec: T - 301 })).toBe(false);
    // A replay with a fresh t but the old signature does not match: t is inside what is signed.
    expect(verifySignatureHeader({ secret: SECRET, header: header.replace(`t=${T}`, `t=${T + 600}`), body: BODY, nowSec: T + 600 })).toBe(false);
    for (const junk of [undefined, '', 't=abc,v1=00', `t=${T}`, `t=${T},v1=zz`, `v1=${header.split('v1=')[1]}`]) {
      expect(verifySignatureHeader({ secret: SECRET, header: junk, body: BODY, nowSec: T })).toBe(false);
    }
  });
});

describe('the batch body', () => {
  it('carries each record exactly as the JSON-lines export writes it, with the batch range', () => {
    const first = chainAuditRecord(null, { type: 'request.created', actor: 'alice', requestId: 'r-1' }, T0);
    const second = chainAuditRecord(first, { type: 'request.approved', actor: 'bob', requestId: 'r-1' }, T0);
    expect(JSON.parse(batchBody([first, second]))).toEqual({
      format: 'elevate.audit.v1',
      firstSeq: 1,
      lastSeq: 2,
      records: [JSON.parse(JSON.stringify(auditRecordJson(first))), JSON.parse(JSON.stringify(auditRecordJson(second)))],
    });
  });
});
