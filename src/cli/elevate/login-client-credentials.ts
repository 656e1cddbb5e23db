import { readFileSync } from 'node:fs';
import * as client from 'openid-client';
import { CliError } from './cli-error.ts';
import type { CliContext } from './context.ts';
import { discoverAuthorizationServer, type ServerMetadata } from './discover.ts';
import { EXIT } from './exit-codes.ts';
import { loginFromTokens } from './login-tokens.ts';
import { fromOAuthError } from './oauth-failure.ts';
import { serverKey } from './server-url.ts';
import type { CachedLogin } from './token-cache.ts';

export interface ClientCredentials {
  clientId: string;
  secret: string;
}

/**
 * A service account's credentials from `ELEVATE_CLIENT_ID` and `ELEVATE_CLIENT_SECRET` or
 * `ELEVATE_CLIENT_SECRET_FILE` (one of the two; the file's trailing newline is ignored).
 * Errors name the variable, never its value.
 */
export function readClientCredentials(env: Readonly<Record<string, string | undefined>>): ClientCredentials {
  const clientId = env.ELEVATE_CLIENT_ID?.trim();
  if (!clientId) throw new CliError(EXIT.usage, 'ELEVATE_CLIENT_ID is not set: a client-credentials login needs the service account\'s client id.');
  const inline = env.ELEVATE_CLIENT_SECRET;
  const file = env.ELEVATE_CLIENT_SECRET_FILE;
  if (inline && file) throw new CliError(EXIT.usage, 'Set ELEVATE_CLIENT_SECRET or ELEVATE_CLIENT_SECRET_FILE, not both.');
  if (file) {
    let secret: string;
    try {
      secret = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new CliError(EXIT.usage, `ELEVATE_CLIENT_SECRET_FILE ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, { cause: error });
    }
    if (!secret) throw new CliError(EXIT.usage, `ELEVATE_CLIENT_SECRET_FILE ${file} is empty.`);
    return { clientId, secret };
  }
  if (!inline) throw new CliError(EXIT.usage, 'ELEVATE_CLIENT_SECRET or ELEVATE_CLIENT_SECRET_FILE is not set: a client-credentials login needs the service account\'s secret.');
  return { clientId, secret: inline };
}

/** Client credentials grant (`client_secret_basic`) for the API's audience. */
export async function clientCredentialsLogin(ctx: CliContext, server: URL, meta: ServerMetadata, credentials: ClientCredentials): Promise<CachedLogin> {
  const config = await discoverAuthorizationServer(ctx, meta.issuer, credentials.clientId, client.ClientSecretBasic(credentials.secret));
  try {
    const tokens = await client.clientCredentialsGrant(config, { resource: meta.resource });
    return loginFromTokens(serverKey(server), 'client_credentials', meta, credentials.clientId, tokens, ctx.now(), credentials.clientId);
  } catch (error) {
    throw fromOAuthError(error, `the authorization server ${new URL(meta.issuer).origin}`);
  }
}
