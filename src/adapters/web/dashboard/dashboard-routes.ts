import { ACCESS_ROUTES } from './access/index.ts';
import { AUDIT_ROUTES } from './audit/audit-routes.ts';
import { OPERATIONS_ROUTES } from './operations/operations-routes.ts';
import type { PageRoute } from './page-route.ts';
import { REVIEW_ROUTES } from './review/review-routes.ts';

/**
 * Every page and form action of the dashboard, by section. The frame (`dashboard.ts`) matches a
 * request to one of these after checking the session, the CSRF token of a POST and the access rule.
 */
export const DASHBOARD_ROUTES: readonly PageRoute[] = [
  ...ACCESS_ROUTES,
  ...REVIEW_ROUTES,
  ...AUDIT_ROUTES,
  ...OPERATIONS_ROUTES,
];
