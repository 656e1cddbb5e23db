import type { AuthenticationEvidence } from '../../domain/step-up.ts';
import type { VerifiedAccessToken } from '../../ports/access-token-verifier.ts';

/**
 * What a bearer token says about the sign-in behind it (RFC 9470 §2: `auth_time`, `acr`, `amr`,
 * as JWT claims or introspection members), as the evidence a scope's MFA policy is checked
 * against. Null when the token does not say when its subject signed in (no numeric `auth_time`,
 * e.g. a client-credentials token) or names no subject: such a token vouches for no sign-in.
 * Malformed `acr` or `amr` members count as absent, never as a method.
 */
export function evidenceFromToken(token: VerifiedAccessToken): AuthenticationEvidence | null {
  const { auth_time: authTime, acr, amr } = token.claims;
  if (token.subject === null || typeof authTime !== 'number' || !Number.isFinite(authTime) || authTime < 0) return null;
  return {
    subject: token.subject,
    acr: typeof acr === 'string' && acr !== '' ? acr : null,
    amr: Array.isArray(amr) ? amr.filter((method): method is string => typeof method === 'string' && method !== '') : [],
    authTime: new Date(authTime * 1000),
  };
}
