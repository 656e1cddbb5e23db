import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../../domain/clock.ts';
import type { Logger } from '../../../logging/logger.ts';
import type { ReplayGuard } from './replay-guard.ts';
import { slackRequestShape } from './request-kind.ts';
import { verifySlackSignature } from './verify-signature.ts';
import { closeIfUnread } from '../../../shared/http/close-if-unread.ts';
import { readBodyWithin } from '../../../shared/http/read-body.ts';

export const SLACK_EVENTS_PATH = '/slack/events';
const BODY_LIMIT_BYTES = 1024 * 1024;

export interface FrontDoorOptions {
  signingSecret: string;
  clock: Clock;
  /** The adapter's logger, already bound to `component: slack` (binding it again repeats the key). */
  logger: Logger;
  replays: ReplayGuard;
  /** Bolt's request listener; it receives the request with its body already read (`rawBody`). */
  next: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * Everything Slack sends arrives here first. Before Bolt sees a byte: the signature and the
 * timestamp are checked against our clock (401, nothing touched), a body not in the encoding
 * Slack uses for its kind (form-encoded commands and interactivity, JSON Events API envelopes) is
 * refused (400), the exact same signed request seen again is refused as a replay (401), and
 * Slack's own retries (`X-Slack-Retry-Num`, sent when an earlier delivery looked slow) are acknowledged without being processed a second time.
 * Bolt verifies the signature again on its own; the duplication is deliberate and cheap.
 */
export function createSlackFrontDoor(options: FrontDoorOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const log = options.logger;
  return (req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== SLACK_EVENTS_PATH || req.method !== 'POST') return reply(req, res, 404);
      const body = await readBodyWithin(req, BODY_LIMIT_BYTES);
      if (body === null) return reply(req, res, 413);
      // Slack's periodic certificate check of the command URL; answered without touching anything.
      if (new URLSearchParams(body).get('ssl_check') === '1') return reply(req, res, 200);
      const check = verifySlackSignature({
        signingSecret: options.signingSecret,
        body,
        timestamp: header(req, 'x-slack-request-timestamp'),
        signature: header(req, 'x-slack-signature'),
        now: options.clock.now(),
      });
      if (!check.ok) {
        log.warn({ reason: check.reason, retry: header(req, 'x-slack-retry-num') ?? null }, 'refused a Slack request that failed verification');
        return reply(req, res, 401);
      }
      const shape = slackRequestShape(header(req, 'content-type'), body);
      if (!shape.ok) {
        log.warn({ reason: shape.reason }, 'refused a signed Slack request that is not shaped as Slack sends it');
        return reply(req, res, 400);
      }
      if (!options.replays.accept(header(req, 'x-slack-signature')!, check.timestampSec)) {
        log.warn({ reason: 'replayed' }, 'refused a replayed Slack request');
        return reply(req, res, 401);
      }
      const retry = header(req, 'x-slack-retry-num');
      if (retry !== undefined) {
        log.info({ retry, retry_reason: header(req, 'x-slack-retry-reason') ?? null }, 'acknowledged a Slack retry without processing it again');
        return reply(req, res, 200, { 'x-slack-no-retry': '1' });
      }
      (req as IncomingMessage & { rawBody: Buffer }).rawBody = Buffer.from(body, 'utf8');
      options.next(req, res);
    })().catch((error: unknown) => {
      log.error({ err: error instanceof Error ? error.message : String(error) }, 'Slack request failed before dispatch');
      if (!res.headersSent) reply(req, res, 500);
    });
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function reply(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-length': '0', ...closeIfUnread(req), ...headers }).end();
}
