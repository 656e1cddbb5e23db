import { ElevateError } from '../../domain/errors.ts';
import type { ExchangeInput, IssuedToken, TokenIntrospection, TokenIssuer } from '../../ports/token-issuer.ts';

/**
 * A token issuer whose real implementation arrives after start-up: the embedded development AS
 * answers discovery only once the HTTP server listens, but the chat adapters must be mounted
 * before it does. A call made in between waits for `bind` (up to `waitMs`) rather than failing
 * a request that was approved a moment too early; after that it fails as retryable, like an AS
 * that is not up yet.
 */
export class LateBoundTokenIssuer implements TokenIssuer {
  private bound!: (issuer: TokenIssuer) => void;
  private readonly target = new Promise<TokenIssuer>((resolve) => (this.bound = resolve));

  constructor(private readonly waitMs = 15_000) {}

  bind(issuer: TokenIssuer): void {
    this.bound(issuer);
  }

  async exchange(input: ExchangeInput): Promise<IssuedToken> {
    return (await this.current()).exchange(input);
  }

  async revoke(token: string): Promise<void> {
    return (await this.current()).revoke(token);
  }

  async introspect(token: string): Promise<TokenIntrospection> {
    return (await this.current()).introspect(token);
  }

  private current(): Promise<TokenIssuer> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ElevateError('issuer_unavailable', 'The authorization server is not connected yet; try again in a moment.', { retryable: true })),
        this.waitMs,
      );
      timer.unref();
    });
    return Promise.race([this.target, timeout]).finally(() => clearTimeout(timer));
  }
}
