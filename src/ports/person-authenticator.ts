import type { AuthenticationEvidence } from '../domain/step-up.ts';

/**
 * What Elevate asks of the organisation's OpenID provider to verify a person: an OpenID Connect
 * authorization-code flow with PKCE. Implemented in `src/adapters/oauth/person-sign-in`.
 */
export interface PersonAuthenticator {
  /**
   * Where to send the browser: the provider's authorization endpoint with `response_type=code`,
   * `scope=openid`, PKCE S256, `state`, `nonce`, `prompt=login`, `max_age`, and `acr_values`
   * when the list is not empty.
   */
  authorizationUrl(input: AuthorizationRequest): URL;
  /**
   * Redeems the code of the callback and verifies the ID token: issuer, audience, signature,
   * `nonce`, expiry, and `auth_time` (required) against `maxAgeSec`. Throws `ElevateError`
   * `step_up_refused` (the provider said no, or the answer does not verify: details for the log)
   * or `issuer_unavailable`.
   */
  redeem(input: RedeemRequest): Promise<AuthenticationEvidence>;
}

export interface AuthorizationRequest {
  redirectUri: string;
  state: string;
  nonce: string;
  /** BASE64URL(SHA-256(code verifier)). */
  codeChallenge: string;
  acrValues: readonly string[];
  maxAgeSec: number;
}

export interface RedeemRequest {
  /** The full callback URL the browser came back to (code, state, iss or error). */
  callbackUrl: URL;
  redirectUri: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  maxAgeSec: number;
}
