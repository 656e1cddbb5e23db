import type { Clock } from '../../../domain/clock.ts';

/** The part of a Bot Framework request the connector asks credentials to sign. */
interface SignableRequest {
  headers: { set(name: string, value: string): void };
}

/**
 * The bot's outbound credentials: an OAuth 2.0 client-credentials token from
 * `<ToChannelFromBotLoginUrl>/oauth2/v2.0/token` for `<ToChannelFromBotOAuthScope>/.default`,
 * cached until a minute before it expires. This is the request MSAL makes on the wire for a
 * client secret; it replaces botbuilder's MSAL-based default because MSAL insists on https and
 * on an instance-discovery call to login.microsoftonline.com before the first token, which makes
 * a local connector (tests, air-gapped set-ups) impossible. Certificates and managed identities
 * are not supported here (see README).
 */
export class ClientSecretCredentialsFactory {
  private readonly cache = new Map<string, { token: string; expiresAt: number }>();

  constructor(private readonly input: { appId: string; appPassword: string; clock: Clock; fetch?: typeof fetch }) {}

  async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.input.appId;
  }

  async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }

  async createCredentials(appId: string, audience: string | undefined, loginEndpoint: string): Promise<{ signRequest(request: SignableRequest): Promise<SignableRequest> }> {
    if (appId !== this.input.appId) throw new Error('credentials requested for another app id');
    const scope = `${(audience ?? '').replace(/\/+$/, '')}/.default`;
    const tokenUrl = `${loginEndpoint.replace(/\/+$/, '')}/oauth2/v2.0/token`;
    return {
      signRequest: async (request) => {
        request.headers.set('authorization', `Bearer ${await this.token(tokenUrl, scope)}`);
        return request;
      },
    };
  }

  private async token(tokenUrl: string, scope: string): Promise<string> {
    const key = `${tokenUrl} ${scope}`;
    const now = this.input.clock.now().getTime();
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > now) return cached.token;
    const response = await (this.input.fetch ?? fetch)(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: this.input.appId, client_secret: this.input.appPassword, scope }).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json().catch(() => null)) as { access_token?: unknown; expires_in?: unknown; error?: unknown } | null;
    if (!response.ok || typeof body?.access_token !== 'string') {
      // The error code is safe to show; the response body may echo request details, so it is not.
      throw new Error(`the bot could not get its Bot Framework token (HTTP ${response.status}${typeof body?.error === 'string' ? `, ${body.error.slice(0, 60)}` : ''})`);
    }
    const lifetimeSec = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in ?? 3600) || 3600;
    this.cache.set(key, { token: body.access_token, expiresAt: now + Math.max(0, lifetimeSec - 60) * 1000 });
    return body.access_token;
  }
}
