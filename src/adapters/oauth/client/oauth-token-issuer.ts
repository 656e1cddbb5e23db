import type { Configuration } from 'openid-client';
import type { Logger } from '../../../logging/logger.ts';
import type { ExchangeInput, IssuedToken, TokenIntrospection, TokenIssuer } from '../../../ports/token-issuer.ts';
import { OAuthError } from '../oauth-error.ts';
import { exchangeToken, failureSummary, type ExchangeContext } from './exchange-token.ts';
import { readIntrospectionResponse } from './read-introspection-response.ts';
import { revokeToken } from './revoke-token.ts';
import { sendIntrospection } from './send-introspection.ts';

/** The `TokenIssuer` port over a discovered authorization server. */
export class OAuthTokenIssuer implements TokenIssuer {
  private readonly context: ExchangeContext;

  constructor(context: ExchangeContext) {
    this.context = context;
  }

  exchange(input: ExchangeInput): Promise<IssuedToken> {
    return exchangeToken(this.context, input);
  }

  async revoke(token: string): Promise<void> {
    await logFailure(this.context.logger, () => revokeToken(this.context.revocation, token));
    this.context.logger.debug('token revoked at the authorization server');
  }

  async introspect(token: string): Promise<TokenIntrospection> {
    return readIntrospectionResponse(await logFailure(this.context.logger, () => sendIntrospection(this.configuration, token)));
  }

  private get configuration(): Configuration {
    return this.context.configuration;
  }
}

async function logFailure<T>(logger: Logger, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof OAuthError) logger.debug({ oauth: failureSummary(error) }, `${error.operation} failed at the authorization server`);
    throw error;
  }
}
