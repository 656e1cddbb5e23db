import { readAuditTrail } from '../../../app/read-audit-trail.ts';
import { defineRoute } from '../api-route.ts';
import { AuditQuery } from '../schemas.ts';

export const readAuditRoute = defineRoute({
  method: 'GET',
  path: '/audit',
  operationId: 'readAudit',
  summary: 'Admins and auditors: the audit trail as JSON lines, oldest first, the same records as `npm run audit -- export`; resume with `after` = the last `seq` received.',
  authenticated: true,
  query: AuditQuery,
  answer: { status: 200, contentType: 'application/x-ndjson', description: 'One audit record per line, with its hashes.' },
  refusals: ['forbidden'],
  async handle({ deps, actor, query }) {
    const lines = await readAuditTrail(deps, actor, { afterSeq: query.after ?? 0, limit: query.limit ?? 1000 });
    return { status: 200, text: lines.join(''), contentType: 'application/x-ndjson; charset=utf-8' };
  },
});
