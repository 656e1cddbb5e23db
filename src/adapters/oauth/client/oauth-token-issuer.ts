import type { Configuration } from 'openid-client';
import type { Logger } from '../../../logging/logger.ts';
import type { Metrics } from '../../../ports/metrics.ts';
import { noMetrics } from '../../../app/no-metrics.ts';
import { measuredCall } from './measured-call.ts';
import type { ExchangeInput, IssuedToken, TokenIntrospection, TokenIssuer } from '../../../ports/token-issuer.ts';
import { OAuthError } from '../oauth-error.ts';
import { exchangeToken, failureSummary, type ExchangeContext } from './exchange-token.ts';
import { readIntrospectionResponse } from './read-introspection-response.ts';
import { revokeToken } from './revoke-token.ts';
import { sendIntrospection } from './send-introspection.ts';

/** The `TokenIssuer` port over a discovered authorization server. */
export class OAuthTokenIssuer implements TokenIssuer {
  private readonly context: ExchangeContext;

  /** @param metrics times every call to the AS, by operation and outcome. */
  constructor(
    context: ExchangeContext,
    private readonly metrics: Metrics = noMetrics,
  ) {
    this.context = context;
  }

  exchange(input: ExchangeInput): Promise<IssuedToken> {
    return measuredCall(this.metrics, 'exchange', () => exchangeToken(this.context, input));
  }

  async revoke(token: string): Promise<void> {
    await measuredCall(this.metrics, 'revocation', () => logFailure(this.context.logger, () => revokeToken(this.context.revocation, token)));
    this.context.logger.debug('token revoked at the authorization server');
  }

  async introspect(token: string): Promise<TokenIntrospection> {
    return measuredCall(this.metrics, 'introspection', async () => readIntrospectionResponse(await logFailure(this.context.logger, () => sendIntrospection(this.configuration, token))));
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
