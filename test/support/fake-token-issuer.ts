import { ElevateError } from '../../src/domain/errors.ts';
import type { ExchangeInput, IssuedToken, TokenIntrospection, TokenIssuer } from '../../src/ports/token-issuer.ts';

/**
 * An in-memory authorization server for unit tests of the core: it mints random tokens, keeps
 * what each exchange asked for, and can be told to fail the next calls.
 */
export class FakeTokenIssuer implements TokenIssuer {
  readonly exchanges: ExchangeInput[] = [];
  readonly revoked: string[] = [];
  readonly live = new Map<string, ExchangeInput>();
  failNextExchanges = 0;
  /** Thrown by the next exchange instead of issuing (e.g. a real `OAuthError` refusal). */
  rejectNextExchangeWith: Error | null = null;
  failNextRevocations = 0;
  /** When set, the n-th revocation (from 0) answers after this many milliseconds, so answers can overtake each other. */
  revokeDelayMs: ((n: number) => number) | null = null;
  /** Called at every revocation before it answers (a test can move its clock here). */
  onRevoke: (() => void) | null = null;
  private counter = 0;
  private revocationCalls = 0;

  async exchange(input: ExchangeInput): Promise<IssuedToken> {
    this.exchanges.push(input);
    const rejection = this.rejectNextExchangeWith;
    this.rejectNextExchangeWith = null;
    if (rejection) throw rejection;
    if (this.failNextExchanges > 0) {
      this.failNextExchanges -= 1;
      throw new ElevateError('issuer_unavailable', 'The authorization server is not answering; try again shortly.', { retryable: true });
    }
    this.counter += 1;
    const token = `fake-at-${this.counter}-${Math.random().toString(36).slice(2)}`;
    this.live.set(token, input);
    return { accessToken: token, tokenType: 'Bearer', issuedTokenType: 'urn:ietf:params:oauth:token-type:access_token', expiresInSec: 86_400, scope: input.scope.oauthScope };
  }

  async revoke(token: string): Promise<void> {
    this.onRevoke?.();
    const delayMs = this.revokeDelayMs?.(this.revocationCalls++) ?? 0;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (this.failNextRevocations > 0) {
      this.failNextRevocations -= 1;
      throw new ElevateError('issuer_unavailable', 'The authorization server is not answering; try again shortly.', { retryable: true });
    }
    this.revoked.push(token);
    this.live.delete(token);
  }

  async introspect(token: string): Promise<TokenIntrospection> {
    const input = this.live.get(token);
    return input ? { active: true, sub: input.requester.id, scope: input.scope.oauthScope, aud: input.scope.audience } : { active: false };
  }
}
