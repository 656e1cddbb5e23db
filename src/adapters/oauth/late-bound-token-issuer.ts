import { ElevateError } from '../../domain/errors.ts';
import type { AuthenticationEvidence } from '../../domain/step-up.ts';
import type { AccessTokenVerifier, VerifiedAccessToken } from '../../ports/access-token-verifier.ts';
import type { AuthorizationRequest, PersonAuthenticator, RedeemRequest } from '../../ports/person-authenticator.ts';
import type { ExchangeInput, IssuedToken, TokenIntrospection, TokenIssuer } from '../../ports/token-issuer.ts';
import { LateBinding } from './late-binding.ts';

/** A token issuer bound once the AS is discovered; see {@link LateBinding}. */
export class LateBoundTokenIssuer implements TokenIssuer {
  private readonly binding: LateBinding<TokenIssuer>;

  constructor(waitMs = 15_000) {
    this.binding = new LateBinding(waitMs);
  }

  bind(issuer: TokenIssuer): void {
    this.binding.bind(issuer);
  }

  async exchange(input: ExchangeInput): Promise<IssuedToken> {
    return (await this.binding.current()).exchange(input);
  }

  async revoke(token: string): Promise<void> {
    return (await this.binding.current()).revoke(token);
  }

  async introspect(token: string): Promise<TokenIntrospection> {
    return (await this.binding.current()).introspect(token);
  }
}

/** The API's bearer-token check, bound once the AS is discovered; see {@link LateBinding}. */
export class LateBoundAccessTokenVerifier implements AccessTokenVerifier {
  private readonly binding: LateBinding<AccessTokenVerifier>;

  constructor(waitMs = 15_000) {
    this.binding = new LateBinding(waitMs);
  }

  bind(verifier: AccessTokenVerifier): void {
    this.binding.bind(verifier);
  }

  async verify(token: string): Promise<VerifiedAccessToken> {
    return (await this.binding.current()).verify(token);
  }
}

/**
 * Step-up sign-ins, bound once the AS is discovered; see {@link LateBinding}. Building the
 * authorization URL cannot wait (it is synchronous), so before the binding it is refused as a
 * retryable `issuer_unavailable`, like an AS that is not up yet.
 */
export class LateBoundPersonAuthenticator implements PersonAuthenticator {
  private readonly binding: LateBinding<PersonAuthenticator>;
  private bound: PersonAuthenticator | null = null;

  constructor(waitMs = 15_000) {
    this.binding = new LateBinding(waitMs);
  }

  bind(authenticator: PersonAuthenticator): void {
    this.bound = authenticator;
    this.binding.bind(authenticator);
  }

  authorizationUrl(input: AuthorizationRequest): URL {
    if (this.bound === null) throw new ElevateError('issuer_unavailable', 'The OpenID provider is not connected yet; try again in a moment.', { retryable: true });
    return this.bound.authorizationUrl(input);
  }

  async redeem(input: RedeemRequest): Promise<AuthenticationEvidence> {
    return (await this.binding.current()).redeem(input);
  }
}
