import * as client from 'openid-client';
import { CliError } from './cli-error.ts';
import type { CliContext } from './context.ts';
import { discoverAuthorizationServer, type ServerMetadata } from './discover.ts';
import { EXIT } from './exit-codes.ts';
import { loginFromTokens } from './login-tokens.ts';
import { fromOAuthError } from './oauth-failure.ts';
import { safeText } from './safe-text.ts';
import { serverKey } from './server-url.ts';
import type { CachedLogin } from './token-cache.ts';

/** What a step-up sign-in asks the AS for (RFC 9470 §4: the challenge's parameters, passed on as they came). */
export interface SignInRequirements {
  acrValues: readonly string[];
  maxAgeSec: number | null;
}

/**
 * Signs a person in by the device authorization grant (RFC 8628): prints the verification URL
 * and user code on stderr, then polls the token endpoint. openid-client honours `interval` and
 * `slow_down` (five more seconds each time); the wait ends at the code's `expires_in`. For a
 * step-up, the device authorization request carries `acr_values` and `max_age` as an
 * authorization request would (OpenID Connect Core §3.1.2.1), so the AS signs the person in
 * again at that level.
 */
export async function deviceLogin(ctx: CliContext, server: URL, meta: ServerMetadata, requirements?: SignInRequirements): Promise<CachedLogin> {
  const as = new URL(meta.issuer).origin;
  const config = await discoverAuthorizationServer(ctx, meta.issuer, meta.cliClientId, client.None());
  const stepUp: Record<string, string> = {};
  if (requirements && requirements.acrValues.length > 0) stepUp['acr_values'] = requirements.acrValues.join(' ');
  if (requirements && requirements.maxAgeSec !== null) stepUp['max_age'] = String(requirements.maxAgeSec);
  let authorization: client.DeviceAuthorizationResponse;
  try {
    authorization = await client.initiateDeviceAuthorization(config, { scope: meta.cliScope, resource: meta.resource, ...stepUp });
  } catch (error) {
    throw fromOAuthError(error, `the authorization server ${as}`);
  }

  const minutes = Math.max(1, Math.round(authorization.expires_in / 60));
  ctx.io.stderr(
    `To sign in to ${serverKey(server)}, open\n  ${safeText(authorization.verification_uri)}\nand enter the code  ${safeText(authorization.user_code, 64)}\n` +
      (authorization.verification_uri_complete ? `(or open ${safeText(authorization.verification_uri_complete)})\n` : '') +
      `Waiting for the sign-in (the code expires in ${minutes} min)…\n`,
  );

  const expiry = AbortSignal.timeout(authorization.expires_in * 1000);
  const codeExpired = new CliError(EXIT.auth, 'The code expired before the sign-in finished: run `elevate login` again.');
  try {
    const tokens = await client.pollDeviceAuthorizationGrant(config, authorization, { resource: meta.resource }, { signal: AbortSignal.any([ctx.signal, expiry]) });
    const subject = tokens.claims()?.sub;
    return loginFromTokens(serverKey(server), 'device', meta, meta.cliClientId, tokens, ctx.now(), subject);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    if (expiry.aborted) throw codeExpired;
    if (error instanceof client.ResponseBodyError && error.error === 'expired_token') throw codeExpired;
    if (error instanceof client.ResponseBodyError && error.error === 'access_denied') {
      throw new CliError(EXIT.auth, 'The sign-in was refused at the authorization server.', { cause: error });
    }
    throw fromOAuthError(error, `the authorization server ${as}`);
  }
}
