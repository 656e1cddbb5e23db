import { describe, expect, it } from 'vitest';
import { MAX_ERROR_DESCRIPTION_LENGTH, scrubErrorDescription } from '../../../src/adapters/oauth/scrub-error-description.ts';
import { OAuthError } from '../../../src/adapters/oauth/oauth-error.ts';

describe("scrubbing the authorization server's error_description", () => {
  it.each([
    ['a forged second log line', 'bad scope\n{"level":30,"msg":"grant issued"}', 'bad scope {"level":30,"msg":"grant issued"}'],
    ['bidirectional overrides and C1 controls', 'abc\u202edef\u0085ghi', 'abc def ghi'],
    ['an echoed JWT assertion', 'assertion eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl is expired', 'assertion [redacted] is expired'],
    ['a bearer credential', 'header was Bearer abc.def', 'header was Bearer [redacted]'],
    ['a long secret-shaped run', 'client secret s3cr3t-0123456789abcdef0123456789 rejected', 'client secret [redacted] rejected'],
  ])('neutralises %s', (_name, input, expected) => {
    expect(scrubErrorDescription(input)).toBe(expected);
  });

  it('keeps an ordinary description as it is, and caps a long one', () => {
    expect(scrubErrorDescription('The requested scope is invalid, unknown, or malformed.')).toBe('The requested scope is invalid, unknown, or malformed.');
    const long = scrubErrorDescription('word '.repeat(1000))!;
    expect(long).toHaveLength(MAX_ERROR_DESCRIPTION_LENGTH);
    expect(long.endsWith('…')).toBe(true);
    expect(scrubErrorDescription('\n\t')).toBeNull();
    expect(scrubErrorDescription(null)).toBeNull();
  });

  it('is applied to every OAuthError, so neither the field nor the details carry the raw text', () => {
    const error = new OAuthError({ operation: 'exchange', reason: 'error_response', oauthError: 'invalid_grant', oauthErrorDescription: 'nope\nBearer eyJx.eyJy.zzz' });
    expect(error.oauthErrorDescription).toBe('nope Bearer [redacted]');
    expect(error.details).toMatchObject({ oauth_error_description: 'nope Bearer [redacted]' });
  });
});
