import * as client from 'openid-client';
import { CliError } from './cli-error.ts';
import type { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { fromOAuthError } from './oauth-failure.ts';
import { safeText } from './safe-text.ts';
import { sendHttp } from './send-http.ts';
import { checkTransport, isLoopbackHost, serverKey, serverPath } from './server-url.ts';
import { USER_AGENT } from './version.ts';

/** What the server's RFC 9728 metadata tells the CLI about signing in. */
export interface ServerMetadata {
  /** The API's audience: the `resource` (RFC 8707) every token request names. */
  resource: string;
  issuer: string;
  cliClientId: string;
  cliScope: string;
}

/** Reads `/.well-known/oauth-protected-resource` (no authentication) and checks what the CLI needs from it. */
export async function discoverServer(ctx: CliContext, server: URL): Promise<ServerMetadata> {
  const url = serverPath(server, '/.well-known/oauth-protected-resource');
  const response = await sendHttp(ctx, url, { headers: { accept: 'application/json' } }, 'the Elevate server');
  const notElevate = `${serverKey(server)} does not look like an Elevate server (no OAuth protected resource metadata at ${url.pathname}): is --server right?`;
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new CliError(EXIT.failed, `${notElevate} It answered ${response.status}.`);
  }
  let doc: Record<string, unknown>;
  try {
    doc = (await response.json()) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(EXIT.failed, notElevate, { cause: error });
  }
  const servers = doc.authorization_servers;
  if (typeof doc.resource !== 'string' || !Array.isArray(servers) || typeof servers[0] !== 'string') {
    throw new CliError(EXIT.failed, `${serverKey(server)}'s protected resource metadata names no resource or authorization server.`);
  }
  return {
    resource: doc.resource,
    issuer: servers[0],
    cliClientId: typeof doc.elevate_cli_client_id === 'string' ? doc.elevate_cli_client_id : 'elevate-cli',
    cliScope: typeof doc.elevate_cli_scope === 'string' ? doc.elevate_cli_scope : 'openid offline_access',
  };
}

/**
 * The authorization server's configuration (OpenID Connect discovery) for one client. Plain
 * http is allowed only for a loopback issuer, the embedded development AS's case.
 */
export async function discoverAuthorizationServer(ctx: CliContext, issuer: string, clientId: string, auth: client.ClientAuth): Promise<client.Configuration> {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new CliError(EXIT.failed, `the server names an authorization server that is not a URL: "${safeText(issuer, 100)}".`);
  }
  checkTransport(url, 'The authorization server', EXIT.auth);
  const insecure = url.protocol === 'http:' && isLoopbackHost(url.hostname);
  try {
    const config = await client.discovery(url, clientId, undefined, auth, {
      execute: insecure ? [client.allowInsecureRequests] : [],
      [client.customFetch]: asFetch(ctx),
      timeout: 30,
    });
    config[client.customFetch] = asFetch(ctx);
    return config;
  } catch (error) {
    throw fromOAuthError(error, `the authorization server ${url.origin}`);
  }
}

/** openid-client's requests carry the CLI's User-Agent and stop on Ctrl-C. */
function asFetch(ctx: CliContext): client.CustomFetch {
  return (url, options) => {
    const headers = new Headers(options.headers);
    headers.set('user-agent', USER_AGENT);
    const signal = options.signal ? AbortSignal.any([options.signal, ctx.signal]) : ctx.signal;
    return ctx.fetch(url, { ...options, headers, signal } as RequestInit);
  };
}
