/**
 * TOTP (RFC 6238) as the development AS uses it: the common authenticator-app parameters
 * (HMAC-SHA-1, 6 digits, 30-second steps), so any app can scan the `otpauth://` URI. A code is
 * the HOTP (RFC 4226) of its time step, which is how the replay rule (RFC 6238 §5.2: a step is
 * accepted at most once per person) is checked: by step number, not by code text.
 */
export const DEV_TOTP_PERIOD_SEC = 30;
export const DEV_TOTP_DIGITS = 6;
export const DEV_TOTP_ALGORITHM = 'SHA1';
/** Steps either side of now that are still accepted (RFC 6238 §5.2: one step of network delay). */
export const DEV_TOTP_WINDOW = 1;
export const DEV_TOTP_ISSUER = 'Elevate (development)';

/** The people's TOTP secrets, in the data directory. */
export const DEV_TOTP_SECRETS_FILE_NAME = 'dev-totp-secrets.json';
