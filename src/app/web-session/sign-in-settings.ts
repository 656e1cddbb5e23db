import type { WebSessionLimits } from '../../domain/web-session.ts';
import type { PersonAuthenticator } from '../../ports/person-authenticator.ts';

/**
 * How people sign in to the dashboard: the organisation's OpenID provider (the same client as
 * step-up), the callback it returns the browser to, and how long a session may last.
 */
export interface SignInSettings {
  authenticator: PersonAuthenticator;
  /** Registered at the provider for Elevate's client: `$ELEVATE_PUBLIC_URL/auth/sign-in/callback`. */
  redirectUri: string;
  limits: WebSessionLimits;
}
