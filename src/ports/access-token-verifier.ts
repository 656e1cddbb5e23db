/**
 * What the HTTP API asks of the authorization server about a caller's bearer token. Implemented
 * in `src/adapters/oauth/api-tokens` (JWT access tokens checked against the AS's keys, opaque ones
 * by introspection).
 */
export interface AccessTokenVerifier {
  /**
   * Checks a bearer token meant for Elevate's API. Throws `ElevateError` `unauthenticated` when it
   * is not valid for the API (its details say why, for the log only), or `issuer_unavailable` when
   * the AS could not be asked.
   */
  verify(token: string): Promise<VerifiedAccessToken>;
}

export interface VerifiedAccessToken {
  /** The token's `sub`, when it has one. */
  subject: string | null;
  /** The client the token was issued to (the configured claim, `client_id` by default). */
  clientId: string | null;
  /** When the token stops being valid, if it says. */
  expiresAt: Date | null;
  /** How it was checked. */
  checkedBy: 'jwt' | 'introspection';
  /** The token's other claims (`auth_time`, `acr`, `amr`, `scope`, …); never the token itself. */
  claims: Readonly<Record<string, unknown>>;
}
