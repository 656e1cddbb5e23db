import { ElevateError } from '../../domain/errors.ts';
import type { ExchangeInput, IssuedToken, TokenIntrospection, TokenIssuer } from '../../ports/token-issuer.ts';

/**
 * A token issuer whose real implementation arrives after start-up: the embedded development AS
 * answers discovery only once the HTTP server listens, but the chat adapters must be mounted
 * before it does. Until `bind` is called every operation fails as retryable, like an AS that is
 * not up yet.
 */
export class LateBoundTokenIssuer implements TokenIssuer {
  private target: TokenIssuer | null = null;

  bind(issuer: TokenIssuer): void {
    this.target = issuer;
  }

  exchange(input: ExchangeInput): Promise<IssuedToken> {
    return this.current().exchange(input);
  }

  revoke(token: string): Promise<void> {
    return this.current().revoke(token);
  }

  introspect(token: string): Promise<TokenIntrospection> {
    return this.current().introspect(token);
  }

  private current(): TokenIssuer {
    if (!this.target) throw new ElevateError('issuer_unavailable', 'The authorization server is not connected yet; try again in a moment.', { retryable: true });
    return this.target;
  }
}
