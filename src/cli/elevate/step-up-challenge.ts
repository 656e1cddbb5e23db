import { parseWwwAuthenticate, type AuthChallenge } from './www-authenticate.ts';

/** What an RFC 9470 challenge asks the next sign-in for. */
export interface StepUpRequest {
  /** `acr_values`, split on spaces; empty when the server asks for none. */
  acrValues: string[];
  /** `max_age` in seconds, when the server gave a valid one. */
  maxAgeSec: number | null;
  /** `error_description`, as the server wrote it (not yet made safe for a terminal). */
  description: string | null;
}

/** The Bearer challenges of a `WWW-Authenticate` answer (RFC 6750 §3). */
function bearerChallenges(header: string | null): AuthChallenge[] {
  return parseWwwAuthenticate(header ?? '').filter((challenge) => challenge.scheme.toLowerCase() === 'bearer');
}

/** The `error` of the first Bearer challenge that has one. */
export function bearerErrorOf(header: string | null): string | undefined {
  return bearerChallenges(header).find((challenge) => challenge.params['error'] !== undefined)?.params['error'];
}

/**
 * The step-up a 401 asks for (RFC 9470 §3: `error="insufficient_user_authentication"` with
 * `acr_values` and `max_age`), or null when the answer is no such challenge.
 */
export function readStepUpChallenge(header: string | null): StepUpRequest | null {
  const challenge = bearerChallenges(header).find((c) => c.params['error'] === 'insufficient_user_authentication');
  if (!challenge) return null;
  const { acr_values: acrValues, max_age: maxAge, error_description: description } = challenge.params;
  return {
    acrValues: (acrValues ?? '').split(' ').filter((value) => value !== ''),
    maxAgeSec: maxAge !== undefined && /^\d{1,9}$/.test(maxAge) ? Number(maxAge) : null,
    description: description ?? null,
  };
}
