import type { AccessTokenSource } from './api-client.ts';
import { discoverServer } from './discover.ts';
import { deviceLogin } from './login-device.ts';
import { safeText } from './safe-text.ts';
import type { StepUpRequest } from './step-up-challenge.ts';
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
 * environment, and the cache is updated. A step-up challenge makes a person sign in again.
 */
export class LoginSession implements AccessTokenSource {
  private readonly server: string;

  constructor(
    private readonly ctx: CliContext,
    private readonly serverUrl: URL,
    private readonly cache: TokenCache,
  ) {
    this.server = serverKey(serverUrl);
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

  /**
   * A person signs in again by the device flow, asking for what the server's challenge names; the
   * new login replaces the cached one. It must be the same person's: a sign-in as someone else
   * is refused and the cached login kept. A service account's login cannot sign in again
   * interactively, so its step-up ends here.
   */
  async stepUp(request: StepUpRequest, reason: string): Promise<string> {
    const login = this.login();
    if (login.method !== 'device') {
      throw new CliError(
        EXIT.auth,
        `error (step_up_required): ${reason} This login is a service account's (client credentials), which cannot sign in again with multi-factor authentication: a person has to do this.`,
      );
    }
    const asked = [
      ...(request.acrValues.length > 0 ? [`acr ${request.acrValues.map((v) => safeText(v, 100)).join(' or ')}`] : []),
      ...(request.maxAgeSec !== null ? [`a sign-in at most ${request.maxAgeSec} s old`] : []),
    ];
    this.ctx.io.stderr(`${reason} Sign in again${asked.length > 0 ? ` (the server asks for ${asked.join(', ')})` : ''}; the command goes on afterwards.\n`);
    const meta = await discoverServer(this.ctx, this.serverUrl);
    const fresh = await deviceLogin(this.ctx, this.serverUrl, meta, request);
    if (login.subject !== undefined && fresh.subject !== undefined && fresh.subject !== login.subject) {
      throw new CliError(
        EXIT.auth,
        `You signed in as ${safeText(fresh.subject, 100)}, but this login is ${safeText(login.subject, 100)}'s: nothing was sent again and the login is unchanged. Sign in as ${safeText(login.subject, 100)}, or run \`elevate login\` to switch.`,
      );
    }
    this.cache.write(fresh);
    return fresh.accessToken;
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
