import type { AccessTokenSource } from './api-client.ts';
import { CliError } from './cli-error.ts';
import type { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { clientCredentialsLogin, readClientCredentials } from './login-client-credentials.ts';
import { refreshLogin } from './login-refresh.ts';
import { serverKey } from './server-url.ts';
import type { CachedLogin, TokenCache } from './token-cache.ts';

/** A token this close to its expiry is renewed first, so it does not expire on the way. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * The cached login of one server as the API client's token source: the cached access token
 * while it is fresh; when it has expired (or the server refused it) a person's login is
 * refreshed and a service account's is requested again from its credentials in the
 * environment, and the cache is updated.
 */
export class LoginSession implements AccessTokenSource {
  private readonly server: string;

  constructor(
    private readonly ctx: CliContext,
    server: URL,
    private readonly cache: TokenCache,
  ) {
    this.server = serverKey(server);
  }

  async current(): Promise<string> {
    const login = this.login();
    if (login.expiresAt - EXPIRY_MARGIN_MS > this.ctx.now()) return login.accessToken;
    return this.renew();
  }

  async renew(): Promise<string> {
    const login = this.login();
    const renewed = login.method === 'device' ? await refreshLogin(this.ctx, login) : await this.requestAgain(login);
    this.cache.write(renewed);
    return renewed.accessToken;
  }

  private login(): CachedLogin {
    const login = this.cache.read(this.server);
    if (!login) {
      throw new CliError(EXIT.auth, `Not logged in to ${this.server}: run \`elevate login\` (or \`elevate login --client-credentials\` for a service account).`);
    }
    return login;
  }

  private async requestAgain(login: CachedLogin): Promise<CachedLogin> {
    let credentials;
    try {
      credentials = readClientCredentials(this.ctx.env);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CliError(EXIT.auth, `The service account's login to ${this.server} has expired and cannot be renewed: ${reason}`, { cause: error });
    }
    const meta = { issuer: login.issuer, resource: login.resource, cliClientId: login.clientId, cliScope: '' };
    return clientCredentialsLogin(this.ctx, new URL(this.server), meta, credentials);
  }
}
