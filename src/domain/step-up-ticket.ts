/**
 * A one-time link to a multi-factor sign-in. `receive`: the requester verifies before the token
 * is issued. `approve`: an approver verifies so that their approval counts.
 */
export type StepUpPurpose = 'receive' | 'approve';

export const STEP_UP_PURPOSES: readonly StepUpPurpose[] = Object.freeze(['receive', 'approve']);

/** How long a link may wait before it is followed, and a started sign-in before it comes back. */
export const STEP_UP_TICKET_TTL_SEC = 600;

export interface StepUpTicket {
  /** SHA-256 (hex) of the link's secret: the secret itself is never stored. */
  idHash: string;
  purpose: StepUpPurpose;
  requestId: string;
  principalId: string;
  createdAt: Date;
  expiresAt: Date;
  /** Set once, when the link is followed and the sign-in starts. */
  startedAt: Date | null;
  /** SHA-256 of the OpenID Connect `state` sent to the provider. */
  stateHash: string | null;
  /** SHA-256 of the browser binding kept in a cookie: the callback must come back to that browser. */
  bindingHash: string | null;
  nonce: string | null;
  /** PKCE code verifier; useless without the authorization code, which only the callback sees. */
  codeVerifier: string | null;
  /** Set once, when the callback is taken: a second callback is refused. */
  completedAt: Date | null;
}

/** What starting the sign-in writes onto a ticket. */
export interface StepUpFlow {
  startedAt: Date;
  stateHash: string;
  bindingHash: string;
  nonce: string;
  codeVerifier: string;
}
