import type { Principal } from '../domain/principal.ts';
import type { ScopeDefinition } from '../domain/scope.ts';
import type { AuthenticationEvidence } from '../domain/step-up.ts';

/** What the core asks of an authorization server. Implemented in `src/adapters/oauth`. */
export interface TokenIssuer {
  /**
   * RFC 8693 token exchange for the requester, acting through the bot, on the approvers' say-so.
   * Throws `ElevateError` with code `issuer_unavailable` (retryable) or `issuer_rejected` (final),
   * whose message is a plain sentence safe to show the requester and to audit: fixed wording and
   * at most the AS's `error` code, never its `error_description`, a response body or a token.
   */
  exchange(input: ExchangeInput): Promise<IssuedToken>;
  /** RFC 7009 revocation. Revoking an unknown or already revoked token succeeds, as the RFC says. */
  revoke(token: string): Promise<void>;
  /** RFC 7662 introspection. */
  introspect(token: string): Promise<TokenIntrospection>;
}

export interface ExchangeInput {
  grantId: string;
  requester: Pick<Principal, 'id' | 'kind'>;
  /** Principal ids of the approvers, or `policy` when the request was auto-approved. */
  approvers: readonly string[];
  scope: Pick<ScopeDefinition, 'name' | 'oauthScope' | 'audience'>;
  /** End of the approved window; the token must not be used past it. */
  windowEndsAt: Date;
  /**
   * The requester's multi-factor verification before issuance, when the scope asked for one: its
   * `acr`, `amr` and `auth_time` go into the subject assertion, so an AS that enforces them can.
   */
  authentication?: AuthenticationEvidence | null;
}

export interface IssuedToken {
  /** The secret. Never log it, never show it in a channel or an error. */
  accessToken: string;
  tokenType: string;
  issuedTokenType: string;
  /** `expires_in` from the AS, if any, in seconds. */
  expiresInSec: number | null;
  /** The scope the AS actually granted, when it says. */
  scope: string | null;
}

export interface TokenIntrospection {
  active: boolean;
  sub?: string;
  scope?: string;
  aud?: string | string[];
  clientId?: string;
  exp?: number;
  /** The actor chain (`act` claim) when the AS reports one. */
  act?: Record<string, unknown>;
  /** Any further claims the AS returned. */
  [claim: string]: unknown;
}
