import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { listenOnLoopback, readBody } from '../oauth/loopback-server.ts';
import { WindowCounter, type WindowLimit } from '../window-counter.ts';

export const TEAMS_APP_ID = '00000000-0000-4000-8000-00000000e1e7';
export const TEAMS_APP_PASSWORD = 'teams-app-secret-for-tests';
export const TEAMS_TENANT_ID = '11111111-2222-4333-8444-555555555555';
/** Teams refuses messages larger than about 28 KB ("MessageSizeTooBig"). */
export const MAX_ACTIVITY_BYTES = 28 * 1024;

export interface StoredActivity {
  conversationId: string;
  id: string;
  activity: Record<string, unknown>;
  /** Every version: as posted, then each update. */
  versions: Record<string, unknown>[];
}

export interface ConnectorCall {
  method: string;
  path: string;
  status: number;
  body: Record<string, unknown> | null;
}

export interface FakeBotFramework {
  readonly origin: string;
  /** What `activity.serviceUrl` says: the connector's base URL (a region path, as in Teams). */
  readonly serviceUrl: string;
  readonly issuer: string;
  readonly openIdMetadataUrl: string;
  readonly loginUrl: string;
  readonly calls: ConnectorCall[];
  readonly rawBodies: string[];
  readonly activities: Map<string, StoredActivity>;
  /** A bearer token for an inbound activity, signed like the Bot Framework's; `overrides` change claims, header or key. */
  signToken(options?: TokenOptions): Promise<string>;
  /** Records an activity the channel delivered to the bot, so replies to it are accepted. */
  noteDelivered(conversationId: string, id: string): void;
  /** Activities the bot sent to a conversation, oldest first. */
  sentTo(conversationId: string): StoredActivity[];
  /** Fails listing what was called when no call matches. */
  expectCall(method: string, pathPattern: RegExp): ConnectorCall;
  /**
   * Keeps the next connector calls that match waiting, unanswered, until `release()`: a test's
   * way to stop time while a call is in flight. `arrived` resolves when one is waiting.
   */
  hold(matches: (call: { method: string; conversationId: string; activityId: string | undefined }) => boolean): { arrived: Promise<void>; release(): void };
  close(): Promise<void>;
}

export interface TokenOptions {
  claims?: Record<string, unknown>;
  /** Seconds from now; negative for an expired token. */
  expiresInSec?: number;
  /** Sign with a key the metadata does not publish under this kid. */
  foreignKey?: boolean;
  kid?: string;
  serviceUrl?: string;
}

/**
 * A fake of the Bot Framework as a real HTTP server on loopback: the channel side (an OpenID
 * metadata document and its JWKS with `endorsements`, and RS256 tokens signed with that key, as
 * the Bot Framework signs activities), the Entra ID token endpoint the bot gets its outbound token
 * from (client-credentials with the app's secret), and the Bot Connector REST API on its paths:
 * `POST /v3/conversations` (create a 1:1), `POST /v3/conversations/{id}/activities`,
 * `POST /v3/conversations/{id}/activities/{replyToId}`, `PUT /v3/conversations/{id}/activities/{id}`.
 * The connector refuses calls without the bearer token it issued (401), unknown activities
 * (404) and activities over the Teams size limit (413).
 */
export interface FakeBotFrameworkOptions {
  appId?: string;
  appPassword?: string;
  /**
   * Throttle the bot's sends and updates per conversation under load: past `limit` calls in a
   * `windowMs` window the connector answers 429 with `Retry-After` (whole seconds), as the Bot
   * Connector does. Off unless given.
   */
  throttle?: WindowLimit;
}

export async function startFakeBotFramework(options: FakeBotFrameworkOptions = {}): Promise<FakeBotFramework> {
  const throttleWindows = new WindowCounter();
  const appId = options.appId ?? TEAMS_APP_ID;
  const appPassword = options.appPassword ?? TEAMS_APP_PASSWORD;
  const kid = `kid-${randomUUID().slice(0, 8)}`;
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const foreign = await generateKeyPair('RS256');
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
  const issuedTokens = new Set<string>();
  const calls: ConnectorCall[] = [];
  const rawBodies: string[] = [];
  const activities = new Map<string, StoredActivity>();
  const delivered = new Set<string>();
  let counter = 1_700_000_000_000;

  const loopback = await listenOnLoopback((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { code: 'ServiceError', message: String(error) } });
    });
  });
  const origin = loopback.origin;
  const serviceUrl = `${origin}/amer/`;
  const issuer = 'https://api.botframework.com';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const text = await readBody(req);
    rawBodies.push(text);
    if (req.method === 'GET' && url.pathname === '/v1/.well-known/openidconfiguration') {
      return send(res, 200, { issuer, jwks_uri: `${origin}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] });
    }
    if (req.method === 'GET' && url.pathname === '/v1/.well-known/keys') return send(res, 200, { keys: [{ ...publicJwk, endorsements: ['msteams'] }] });
    if (req.method === 'POST' && url.pathname === '/botframework.com/oauth2/v2.0/token') {
      const form = new URLSearchParams(text);
      if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== appId || form.get('client_secret') !== appPassword) {
        return send(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
      }
      if (form.get('scope') !== 'https://api.botframework.com/.default') return send(res, 400, { error: 'invalid_scope' });
      const token = `bf-${randomUUID()}`;
      issuedTokens.add(token);
      return send(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
    }
    const match = /^\/amer\/v3\/conversations(?:\/([^/]+)\/activities(?:\/([^/]+))?)?\/?$/.exec(url.pathname);
    if (!match) return record(req, url, res, 404, null, { error: { code: 'NotFound', message: 'no such path' } });
    const auth = req.headers.authorization ?? '';
    const body = parse(text);
    if (!auth.startsWith('Bearer ') || !issuedTokens.has(auth.slice(7))) return record(req, url, res, 401, body, { message: 'Authorization has been denied for this request.' });
    if (Buffer.byteLength(text) > MAX_ACTIVITY_BYTES) return record(req, url, res, 413, body, { error: { code: 'MessageSizeTooBig', message: 'Message size too big' } });
    const conversationId = match[1] ? decodeURIComponent(match[1]) : undefined;
    const activityId = match[2] ? decodeURIComponent(match[2]) : undefined;
    for (const held of holds) if (conversationId && held.matches({ method: req.method ?? '', conversationId, activityId })) await held.wait();
    const retryAfter = conversationId && options.throttle ? throttleWindows.take(conversationId, options.throttle) : null;
    if (retryAfter !== null) {
      calls.push({ method: req.method ?? '', path: decodeURIComponent(url.pathname), status: 429, body });
      const text429 = JSON.stringify({ error: { code: 'TooManyRequests', message: 'Too many requests' } });
      res.writeHead(429, { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(retryAfter), 'content-length': Buffer.byteLength(text429) }).end(text429);
      return;
    }
    if (!conversationId) {
      if (req.method !== 'POST') return record(req, url, res, 405, body, {});
      const member = (body?.members as { id?: string }[] | undefined)?.[0]?.id ?? 'unknown';
      return record(req, url, res, 201, body, { id: `a:1:${member}` });
    }
    if (req.method === 'POST') {
      if (!body || body.type !== 'message') return record(req, url, res, 400, body, { error: { code: 'BadArgument', message: 'activity type' } });
      const known = (conv: string) => activities.has(key(conv, activityId!)) || delivered.has(key(conv, activityId!));
      if (activityId && !known(conversationId) && !known(conversationId.split(';')[0]!)) {
        return record(req, url, res, 404, body, { error: { code: 'ActivityNotFoundInConversation', message: 'reply target not found' } });
      }
      const id = String((counter += 1));
      activities.set(key(conversationId, id), { conversationId, id, activity: body, versions: [body] });
      return record(req, url, res, 201, body, { id });
    }
    if (req.method === 'PUT' && activityId) {
      const stored = activities.get(key(conversationId, activityId));
      if (!stored) return record(req, url, res, 404, body, { error: { code: 'ActivityNotFoundInConversation', message: 'Unknown activity' } });
      stored.activity = body ?? {};
      stored.versions.push(stored.activity);
      return record(req, url, res, 200, body, { id: activityId });
    }
    return record(req, url, res, 405, body, {});
  }

  const holds: { matches: Parameters<FakeBotFramework['hold']>[0]; wait(): Promise<void> }[] = [];

  function record(req: IncomingMessage, url: URL, res: ServerResponse, status: number, body: Record<string, unknown> | null, answer: unknown): void {
    calls.push({ method: req.method ?? '', path: decodeURIComponent(url.pathname), status, body });
    send(res, status, answer);
  }

  return {
    origin,
    serviceUrl,
    issuer,
    openIdMetadataUrl: `${origin}/v1/.well-known/openidconfiguration`,
    loginUrl: `${origin}/botframework.com`,
    calls,
    rawBodies,
    activities,
    async signToken(o: TokenOptions = {}) {
      const now = Math.floor(Date.now() / 1000);
      const key: CryptoKey = o.foreignKey ? foreign.privateKey : privateKey;
      const exp = now + (o.expiresInSec ?? 3600);
      const claims = { iss: issuer, aud: appId, serviceurl: o.serviceUrl ?? serviceUrl, iat: Math.min(now, exp) - 60, nbf: Math.min(now, exp) - 60, exp, ...o.claims };
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: o.kid ?? kid, typ: 'JWT' }).sign(key);
    },
    noteDelivered(conversationId, id) {
      delivered.add(key(conversationId, id));
    },
    sentTo(conversationId) {
      return [...activities.values()].filter((a) => a.conversationId === conversationId);
    },
    expectCall(method, pathPattern) {
      const found = calls.find((c) => c.method === method && pathPattern.test(c.path));
      if (!found) throw new Error(`no ${method} ${pathPattern} call; calls were:\n${calls.map((c) => `${c.method} ${c.path} → ${c.status}`).join('\n')}`);
      return found;
    },
    hold(matches) {
      let arrive!: () => void;
      let release!: () => void;
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      holds.push({ matches, wait: () => (arrive(), released) });
      return { arrived, release };
    },
    close: loopback.close,
  };
}

function key(conversationId: string, id: string): string {
  return `${conversationId}\u0000${id}`;
}

function parse(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

/**
 * The botbuilder settings (`ConfigurationBotFrameworkAuthentication`'s names) that point a Teams
 * adapter at this fake: its app id and password, single tenant, its OpenID metadata, issuer and
 * login endpoint.
 */
export function teamsEnvFor(bf: Pick<FakeBotFramework, 'openIdMetadataUrl' | 'issuer' | 'loginUrl'>): Record<string, string> {
  return {
    MicrosoftAppId: TEAMS_APP_ID,
    MicrosoftAppPassword: TEAMS_APP_PASSWORD,
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppTenantId: TEAMS_TENANT_ID,
    ToBotFromChannelOpenIdMetadataUrl: bf.openIdMetadataUrl,
    ToBotFromChannelTokenIssuer: bf.issuer,
    ToChannelFromBotLoginUrl: bf.loginUrl,
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  };
}
