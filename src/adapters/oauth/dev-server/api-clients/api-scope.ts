/** The one scope of Elevate's API at the development AS (RFC 9068 `scope`), optional to ask for. */
export const DEV_API_SCOPE = 'elevate';
/** RFC 9068 tokens are bearer tokens checked without a call to the AS: keep them short-lived. */
export const API_TOKEN_MAX_TTL_SEC = 900;
