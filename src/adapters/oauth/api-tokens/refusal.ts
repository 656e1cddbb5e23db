import { ElevateError } from '../../../domain/errors.ts';

/**
 * A bearer token the API does not accept. The caller learns only that (RFC 6750
 * `invalid_token`); `reason` and `why` are for the log and never contain the token.
 */
export function refusal(reason: string, why: string): ElevateError {
  return new ElevateError('unauthenticated', 'The access token is not valid for this API.', { details: { reason, why: why.slice(0, 200) } });
}
