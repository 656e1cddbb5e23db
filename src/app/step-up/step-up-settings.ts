import { ElevateError } from '../../domain/errors.ts';
import type { PersonAuthenticator } from '../../ports/person-authenticator.ts';

/**
 * How Elevate runs step-up sign-ins: the organisation's OpenID provider, the callback it returns
 * the browser to, and the public address of a one-time link. Given by the composition root.
 */
export interface StepUpSettings {
  authenticator: PersonAuthenticator;
  /** Registered at the provider for Elevate's client: `$ELEVATE_PUBLIC_URL/auth/step-up/callback`. */
  redirectUri: string;
  /** The link a person follows for a ticket: `$ELEVATE_PUBLIC_URL/auth/step-up/<ticket>`. */
  linkFor(ticket: string): string;
}

export function requireStepUp(settings: StepUpSettings | undefined): StepUpSettings {
  if (settings) return settings;
  throw new ElevateError('step_up_unavailable', 'This scope requires a multi-factor sign-in, and this Elevate has no OpenID provider configured for step-up.');
}
