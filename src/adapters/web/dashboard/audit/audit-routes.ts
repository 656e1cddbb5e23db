import { auditChainStatusOf } from '../../../../app/audit-chain-status.ts';
import { exportAuditSearch, searchAuditTrail } from '../../../../app/search-audit-trail.ts';
import { page, type PageCall, type PageRoute } from '../page-route.ts';
import { readAuditFilters } from './audit-filters.ts';
import { auditPageBody } from './audit-page.ts';

/** Records per page of the audit view. */
export const AUDIT_PAGE_SIZE = 100;

/**
 * `GET /audit`: the trail filtered by person, scope, event and time, newest first, a page at a
 * time, under the chain's verification over the whole trail. Admins and auditors (access
 * `audit`); the use cases check the role again, so a route registered wrongly still refuses.
 */
export const auditPageRoute: PageRoute = {
  method: 'GET',
  path: '/audit',
  access: 'audit',
  async handle(call: PageCall) {
    const filters = readAuditFilters(call.url.searchParams);
    const [chain, principals, scopes] = await Promise.all([
      auditChainStatusOf(call.deps.store, call.deps.clock, call.deps.auditKeys).current(),
      call.deps.store.listPrincipals(),
      call.deps.store.listScopes(),
    ]);
    const results = filters.problems.length > 0 ? null : await searchAuditTrail(call.deps, call.actor, { search: { ...filters.search, beforeSeq: filters.beforeSeq }, pageSize: AUDIT_PAGE_SIZE });
    const body = auditPageBody({ filters, chain, results, principalIds: principals.map((p) => p.id), scopeNames: scopes.map((s) => s.name) });
    return page('Audit trail', body, { section: 'audit', status: results === null ? 400 : 200 });
  },
};

/**
 * `GET /audit/export?<the page's filters>`: the filtered view as JSON lines, oldest first, the
 * same line per record as `npm run audit -- export` and `GET /api/v1/audit`.
 */
export const auditExportRoute: PageRoute = {
  method: 'GET',
  path: '/audit/export',
  access: 'audit',
  async handle(call: PageCall) {
    const filters = readAuditFilters(call.url.searchParams);
    if (filters.problems.length > 0) return auditPageRoute.handle(call);
    const { lines } = await exportAuditSearch(call.deps, call.actor, { search: filters.search });
    return { kind: 'download', filename: `elevate-audit-${call.now.toISOString().slice(0, 10)}.jsonl`, contentType: 'application/x-ndjson', body: lines.join('') };
  },
};

export const AUDIT_ROUTES: readonly PageRoute[] = [auditPageRoute, auditExportRoute];
