import * as client from 'openid-client';
import { CliError } from './cli-error.ts';
import type { CliContext } from './context.ts';
import { discoverAuthorizationServer } from './discover.ts';
import { EXIT } from './exit-codes.ts';
import { loginFromTokens } from './login-tokens.ts';
import { fromOAuthError } from './oauth-failure.ts';
import type { CachedLogin } from './token-cache.ts';

/**
 * A person's expired login renewed with its refresh token (for the same API audience). When
 * the AS no longer accepts the refresh token the user has to sign in again.
 */
export async function refreshLogin(ctx: CliContext, login: CachedLogin): Promise<CachedLogin> {
  const again = `Your login to ${login.server} has expired: run \`elevate login\` again.`;
  if (!login.refreshToken) throw new CliError(EXIT.auth, again);
  const config = await discoverAuthorizationServer(ctx, login.issuer, login.clientId, client.None());
  try {
    const tokens = await client.refreshTokenGrant(config, login.refreshToken, { resource: login.resource });
    const meta = { issuer: login.issuer, resource: login.resource, cliClientId: login.clientId, cliScope: '' };
    return loginFromTokens(login.server, 'device', meta, login.clientId, tokens, ctx.now(), tokens.claims()?.sub ?? login.subject, login.refreshToken);
  } catch (error) {
    if (error instanceof client.ResponseBodyError && error.error === 'invalid_grant') throw new CliError(EXIT.auth, again, { cause: error });
    throw fromOAuthError(error, `the authorization server ${new URL(login.issuer).origin}`);
  }
}
