import { describe, expect, it } from 'vitest';
import { OAuthError, type OAuthFailureReason } from '../../../src/adapters/oauth/index.ts';
import { ElevateError } from '../../../src/domain/errors.ts';

describe('OAuthError', () => {
  it.each<[OAuthFailureReason, string | null, boolean]>([
    ['network', null, true],
    ['timeout', null, true],
    ['server_error', null, true],
    ['rate_limited', null, true],
    ['malformed_response', null, true],
    ['error_response', 'temporarily_unavailable', true],
    ['error_response', 'slow_down', true],
    ['error_response', 'invalid_grant', false],
    ['error_response', 'invalid_scope', false],
    ['error_response', 'invalid_client', false],
    ['error_response', 'unauthorized_client', false],
    ['error_response', 'invalid_target', false],
    ['unexpected_status', null, false],
    ['invalid_response', null, false],
    ['unsupported', null, false],
  ])('classifies %s %s as retryable=%s', (reason, oauthError, retryable) => {
    const error = new OAuthError({ operation: 'exchange', reason, oauthError });
    expect(error).toBeInstanceOf(ElevateError);
    expect(error.retryable).toBe(retryable);
    expect(error.code).toBe(retryable ? 'issuer_unavailable' : 'issuer_rejected');
  });

  it('keeps what the AS said as typed fields and in the log details', () => {
    const error = new OAuthError({ operation: 'revocation', reason: 'error_response', oauthError: 'invalid_client', oauthErrorDescription: 'bad credentials', httpStatus: 401 });
    expect(error).toMatchObject({ name: 'OAuthError', operation: 'revocation', oauthError: 'invalid_client', oauthErrorDescription: 'bad credentials', httpStatus: 401, retryAfterSec: null });
    expect(error.details).toMatchObject({ oauth_error: 'invalid_client', oauth_error_description: 'bad credentials', http_status: 401 });
  });

  it('explains itself in plain words without the description the AS sent', () => {
    const error = new OAuthError({ operation: 'exchange', reason: 'error_response', oauthError: 'invalid_client', oauthErrorDescription: 'secret abc123 is wrong' });
    expect(error.message).toBe(
      "Could not obtain the access token: the authorization server did not accept Elevate's client credentials (invalid_client). An admin should check the OAuth client registration.",
    );
  });

  it('leaves out an error code that does not look like one', () => {
    const error = new OAuthError({ operation: 'exchange', reason: 'error_response', oauthError: 'eyJhbGciOi.leaked token value with spaces' });
    expect(error.message).toBe('Could not obtain the access token: the authorization server refused the request.');
  });

  it.each<[OAuthFailureReason, string]>([
    ['timeout', 'did not answer in time'],
    ['network', 'could not be reached'],
    ['rate_limited', 'limiting how often'],
    ['invalid_response', 'without a usable token'],
  ])('says what happened for %s', (reason, words) => {
    expect(new OAuthError({ operation: 'revocation', reason }).message).toMatch(new RegExp(`^Could not revoke the access token: .*${words}`));
  });
});
