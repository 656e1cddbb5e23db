import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Activity, ConfigurationBotFrameworkAuthentication, TurnContext } from 'botbuilder';
import type { Logger } from '../../../logging/logger.ts';
import type { ElevateCloudAdapter } from './elevate-cloud-adapter.ts';
import { closeIfUnread } from '../../../shared/http/close-if-unread.ts';
import { readBodyWithin } from '../../../shared/http/read-body.ts';

export const TEAMS_MESSAGES_PATH = '/api/messages';
/** Teams activities are at most about 28 KB (message size limit) and invokes smaller; leave room. */
const BODY_LIMIT_BYTES = 256 * 1024;

export interface TeamsFrontDoorOptions {
  authentication: ConfigurationBotFrameworkAuthentication;
  adapter: ElevateCloudAdapter;
  logger: Logger;
  logic: (context: TurnContext) => Promise<void>;
}

/**
 * Everything the Bot Framework sends arrives here. The activity is authenticated by botbuilder
 * (`authenticateRequest`: signature, issuer, audience, expiry, endorsement, `serviceurl` claim)
 * before any handler runs; every refusal is a bare 401 and is logged with the reason class only.
 * When the signing keys cannot be fetched the answer is 503, so the channel retries later.
 */
export function createTeamsFrontDoor(options: TeamsFrontDoorOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const log = options.logger;
  return (req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== TEAMS_MESSAGES_PATH) return reply(req, res, 404);
      if (req.method !== 'POST') return reply(req, res, 405, undefined, { allow: 'POST' });
      const text = await readBodyWithin(req, BODY_LIMIT_BYTES);
      if (text === null) return reply(req, res, 413);
      const activity = parseActivity(text);
      if (!activity) return reply(req, res, 400);
      const authHeader = header(req, 'authorization') ?? '';
      let authentication: Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;
      try {
        authentication = await options.authentication.authenticateRequest(activity, authHeader);
      } catch (error) {
        const kind = classify(error);
        log.warn({ reason: kind.reason, channel: activity.channelId.slice(0, 40), type: activity.type.slice(0, 40) }, 'refused a Bot Framework activity that failed authentication');
        return reply(req, res, kind.status);
      }
      if (activity.channelId !== 'msteams') {
        log.info({ channel: activity.channelId.slice(0, 40) }, 'ignored an authenticated activity from a channel other than Teams');
        return reply(req, res, 200);
      }
      const invoke = await options.adapter.runAuthenticated(authentication, activity, options.logic);
      if (invoke) return reply(req, res, invoke.status ?? 200, invoke.body);
      return reply(req, res, 200);
    })().catch((error: unknown) => {
      log.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'Teams activity failed');
      if (!res.headersSent) reply(req, res, 500);
    });
  };
}

/** Only the shape botbuilder needs to route and answer; the rest is checked by the handlers. */
function parseActivity(text: string): Activity | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const activity = value as Partial<Activity>;
  if (typeof activity.type !== 'string' || typeof activity.channelId !== 'string' || typeof activity.serviceUrl !== 'string' || activity.serviceUrl === '') return null;
  if (typeof activity.conversation?.id !== 'string') return null;
  return activity as Activity;
}

function classify(error: unknown): { status: 401 | 503; reason: string } {
  const e = error as { name?: string; statusCode?: number; message?: string } | null;
  // AuthenticationError(500) is botbuilder's "could not load the OpenID metadata or keys".
  if (e?.statusCode === 500 || e?.name === 'FetchError') return { status: 503, reason: 'signing keys unavailable' };
  if (e?.name === 'TokenExpiredError' || /expired/i.test(e?.message ?? '')) return { status: 401, reason: 'expired' };
  if (e?.name === 'JsonWebTokenError') return { status: 401, reason: 'invalid token' };
  return { status: 401, reason: 'not authorized' };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function reply(req: IncomingMessage, res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, { 'content-length': '0', ...closeIfUnread(req), ...headers }).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...closeIfUnread(req), ...headers }).end(text);
}
