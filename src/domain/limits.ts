/** Hard limits no configuration may exceed: elevation is meant to be short-lived. */
export const MAX_GRANT_DURATION_SEC = 24 * 3600;
export const MAX_PENDING_TTL_SEC = 7 * 24 * 3600;
export const MAX_APPROVALS_REQUIRED = 10;
