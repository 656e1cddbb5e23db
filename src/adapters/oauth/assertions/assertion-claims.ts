/**
 * The claims of the two assertions the bot signs for a token exchange. The subject assertion
 * names the requester; the actor assertion names the bot and carries what the AS needs to record
 * the delegation: who approved, for which grant, and until when.
 */
export interface SubjectAssertionClaims {
  iss: string;
  sub: string;
  aud: string;
  iat: number;
  exp: number;
  jti: string;
  /** `human` or `service`: lets the AS apply different policy to service accounts. */
  principal_kind: string;
  /** The requester's step-up before issuance (OpenID Connect Core §2), when the scope asked for one. */
  auth_time?: number;
  acr?: string;
  amr?: string[];
}

export interface ActorAssertionClaims {
  iss: string;
  /** The bot's client id: the actor is the client making the request. */
  sub: string;
  aud: string;
  iat: number;
  exp: number;
  jti: string;
  grant_id: string;
  /** Principal ids of the approvers, or `policy` for an auto-approved request. */
  approvers: string[];
  /** End of the approved window (seconds since the epoch): a ceiling for the token's lifetime. */
  window_ends_at: number;
  /** Elevate's name of the scope, for the AS's records. */
  elevate_scope: string;
}

/**
 * Assertions are one-time credentials for the token endpoint. A minute covers the request and
 * modest clock skew while keeping a leaked assertion nearly useless; each also carries a `jti`.
 */
export const ASSERTION_LIFETIME_SEC = 60;

/** `typ` of the assertions, so they cannot be mistaken for ID tokens or client assertions. */
export const ASSERTION_TYP = 'JWT';
