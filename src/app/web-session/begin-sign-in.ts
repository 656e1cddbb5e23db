import { codeChallengeOf, randomSecret } from '../step-up/secrets.ts';
import type { SignInSettings } from './sign-in-settings.ts';

/** A sign-in is good for ten minutes at the provider; a browser that takes longer starts again. */
export const SIGN_IN_TTL_SEC = 600;

/**
 * What the browser must bring back to the callback, kept by the adapter in a sealed cookie: the
 * `state` the callback must carry, the `nonce` the ID token must carry, and the PKCE verifier.
 */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  maxAgeSec: number;
}

export interface SignInDemand {
  /** `acr_values` (a step-up at a scope's level); empty for a plain sign-in. */
  acrValues?: readonly string[];
  /** `max_age`: how old the provider's login may be. A plain sign-in asks for a fresh one too. */
  maxAgeSec?: number;
}

/**
 * Starts an OpenID Connect sign-in: authorization code with PKCE (S256), `state` and `nonce`, and
 * a fresh login at the provider (`prompt=login`). Nothing is stored: the pending sign-in goes to
 * the browser sealed, and only the browser that started it can finish it.
 */
export function beginSignIn(settings: SignInSettings, demand: SignInDemand = {}): { authorizationUrl: URL; pending: PendingSignIn } {
  const pending: PendingSignIn = { state: randomSecret(), nonce: randomSecret(), codeVerifier: randomSecret(), maxAgeSec: demand.maxAgeSec ?? SIGN_IN_TTL_SEC };
  const authorizationUrl = settings.authenticator.authorizationUrl({
    redirectUri: settings.redirectUri,
    state: pending.state,
    nonce: pending.nonce,
    codeChallenge: codeChallengeOf(pending.codeVerifier),
    acrValues: demand.acrValues ?? [],
    maxAgeSec: pending.maxAgeSec,
  });
  return { authorizationUrl, pending };
}
