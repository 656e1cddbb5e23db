import type { Configuration, TokenEndpointResponse } from 'openid-client';
import type { AudienceParameter } from '../../../config/oauth.ts';
import type { Clock } from '../../../domain/clock.ts';
import type { Logger } from '../../../logging/logger.ts';
import type { ExchangeInput, IssuedToken } from '../../../ports/token-issuer.ts';
import { actorAssertionClaims, subjectAssertionClaims } from '../assertions/build-assertions.ts';
import { signAssertion } from '../assertions/sign-assertion.ts';
import type { SigningKey } from '../keys/bot-keys.ts';
import { OAuthError } from '../oauth-error.ts';
import { readTokenExchangeResponse, type ExchangeResult } from './read-token-exchange-response.ts';
import { revokeToken, type RevocationEndpoint } from './revoke-token.ts';
import { sendTokenExchange, tokenExchangeParameters } from './send-token-exchange.ts';
import { REFRESH_TOKEN_TYPE } from '../token-types.ts';

export interface ExchangeContext {
  configuration: Configuration;
  revocation: RevocationEndpoint;
  clientId: string;
  assertionIssuer: string;
  subjectTokenType: string;
  audienceParameter: AudienceParameter;
  signingKey: SigningKey;
  clock: Clock;
  logger: Logger;
}

/**
 * RFC 8693 exchange for one grant: the bot signs a subject assertion naming the requester and an
 * actor assertion naming itself and the approvers, and the AS returns an access token for the
 * scope and audience of the scope definition.
 */
export async function exchangeToken(context: ExchangeContext, input: ExchangeInput): Promise<IssuedToken> {
  const log = context.logger.child({ grant_id: input.grantId });
  const assertionContext = {
    assertionIssuer: context.assertionIssuer,
    authorizationServer: context.configuration.serverMetadata().issuer,
    clientId: context.clientId,
    clock: context.clock,
  };
  const [subjectToken, actorToken] = await Promise.all([
    signAssertion({ ...subjectAssertionClaims(input, assertionContext) }, context.signingKey),
    signAssertion({ ...actorAssertionClaims(input, assertionContext) }, context.signingKey),
  ]);
  const parameters = tokenExchangeParameters({
    subjectToken,
    actorToken,
    subjectTokenType: context.subjectTokenType,
    scope: input.scope.oauthScope,
    audience: input.scope.audience,
    audienceParameter: context.audienceParameter,
  });

  let response: TokenEndpointResponse;
  try {
    response = await sendTokenExchange(context.configuration, parameters);
  } catch (error) {
    if (error instanceof OAuthError) log.debug({ oauth: failureSummary(error) }, 'token exchange failed at the authorization server');
    throw error;
  }
  let result: ExchangeResult;
  try {
    result = readTokenExchangeResponse(response);
  } catch (error) {
    // Refused (e.g. not an access token), but the AS did mint what it sent: nobody may hold it.
    await discardRefusedTokens(context, response, log);
    throw error;
  }
  if (result.refreshToken !== null) await discardRefreshToken(context, result.refreshToken, log);
  logIssued(context, input, result.token, log);
  return result.token;
}

/**
 * Revokes whatever tokens came back in an answer Elevate refused: the `access_token` (hinted as
 * the type the AS said it issued) and any `refresh_token`. Failures are logged, never thrown: the
 * refusal is what the caller must see.
 */
async function discardRefusedTokens(context: ExchangeContext, response: TokenEndpointResponse, log: Logger): Promise<void> {
  const hint = response.issued_token_type === REFRESH_TOKEN_TYPE ? 'refresh_token' : 'access_token';
  const tokens: [string, 'access_token' | 'refresh_token'][] = [];
  if (typeof response.access_token === 'string' && response.access_token !== '') tokens.push([response.access_token, hint]);
  if (typeof response.refresh_token === 'string' && response.refresh_token !== '') tokens.push([response.refresh_token, 'refresh_token']);
  for (const [token, tokenHint] of tokens) {
    try {
      await revokeToken(context.revocation, token, tokenHint);
      log.warn({ token_type_hint: tokenHint }, 'revoked a token from a token-exchange answer that Elevate refused');
    } catch (error) {
      log.error({ token_type_hint: tokenHint, oauth: error instanceof OAuthError ? failureSummary(error) : undefined }, 'could not revoke a token from a refused token-exchange answer');
    }
  }
}

/** Elevate's tokens must die with the window; a refresh token would outlive it, so it is revoked. */
async function discardRefreshToken(context: ExchangeContext, refreshToken: string, log: Logger): Promise<void> {
  try {
    await revokeToken(context.revocation, refreshToken, 'refresh_token');
    log.warn('the authorization server issued a refresh token with the exchange; it was revoked at once');
  } catch (error) {
    log.error({ oauth: error instanceof OAuthError ? failureSummary(error) : undefined }, 'the authorization server issued a refresh token that could not be revoked');
  }
}

/** Records the AS's lifetime beside the approved window; the window is what Elevate enforces. */
function logIssued(context: ExchangeContext, input: ExchangeInput, token: IssuedToken, log: Logger): void {
  const now = context.clock.now().getTime();
  const windowSec = Math.max(0, Math.round((input.windowEndsAt.getTime() - now) / 1000));
  const facts = {
    scope: token.scope ?? input.scope.oauthScope,
    audience: input.scope.audience,
    expires_in: token.expiresInSec,
    window_sec: windowSec,
    issued_token_type: token.issuedTokenType,
  };
  if (token.expiresInSec !== null && token.expiresInSec > windowSec) {
    log.info({ ...facts, outlives_window: true }, 'token issued; it outlives the approved window and will be revoked when the window ends');
  } else {
    log.info(facts, 'token issued');
  }
}

export function failureSummary(error: OAuthError): Record<string, unknown> {
  return {
    operation: error.operation,
    reason: error.reason,
    error: error.oauthError,
    status: error.httpStatus,
    retryable: error.retryable,
  };
}
