/** Longest `error_description` kept; an AS has no reason to say more, and a log line should not grow with it. */
export const MAX_ERROR_DESCRIPTION_LENGTH = 200;

// Control characters (C0, DEL, C1), line and paragraph separators, and bidirectional overrides:
// each could forge or hide a log line.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;
// JWTs, `Bearer <value>` and any long run of token alphabet (base64url, base64, hex): an AS that
// echoes the request (assertions, client secrets, tokens) must not get them into the logs.
const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.?[A-Za-z0-9_-]*/g;
const BEARER = /\b(bearer|basic|dpop)\s+\S+/gi;
const LONG_RUN = /[A-Za-z0-9_\-+/=.~]{24,}/g;

/**
 * The AS's `error_description` as it may be logged and audited: control characters collapsed to a
 * space, anything shaped like a token or credential replaced by `[redacted]`, and at most
 * {@link MAX_ERROR_DESCRIPTION_LENGTH} characters. Null stays null; nothing left becomes null.
 */
export function scrubErrorDescription(description: string | null | undefined): string | null {
  if (typeof description !== 'string') return null;
  let text = description.replace(CONTROL, ' ');
  text = text.replace(JWT, '[redacted]').replace(BEARER, '$1 [redacted]').replace(LONG_RUN, '[redacted]');
  text = text.replace(/\s+/g, ' ').trim();
  if (text === '') return null;
  return text.length > MAX_ERROR_DESCRIPTION_LENGTH ? `${text.slice(0, MAX_ERROR_DESCRIPTION_LENGTH - 1)}…` : text;
}
