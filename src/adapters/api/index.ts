import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatDeps } from '../../app/chat/chat-deps.ts';
import { describeError } from '../../app/describe-error.ts';
import type { ApiConfig } from '../../config/api.ts';
import { ElevateError, isElevateError } from '../../domain/errors.ts';
import type { Logger } from '../../logging/logger.ts';
import type { AccessTokenVerifier } from '../../ports/access-token-verifier.ts';
import type { ApiAnswer, ApiRoute } from './api-route.ts';
import { matchRoute } from './api-route.ts';
import { authenticate, bearerChallenge, type ApiCaller } from './authenticate.ts';
import { readAuditRoute } from './handlers/audit.ts';
import { approveRoute, cancelRoute, denyRoute } from './handlers/decisions.ts';
import { endGrantRoute, extendGrantRoute, listGrantsRoute, revealTokenRoute } from './handlers/grants.ts';
import { acknowledgeBreakGlassRoute, breakGlassRoute, flagBreakGlassRoute } from './handlers/break-glass.ts';
import { createRequestRoute, getRequestRoute, listRequestsRoute } from './handlers/requests.ts';
import { listScopesRoute } from './handlers/scopes.ts';
import { verificationLinkRoute, verifyRoute } from './handlers/verification.ts';
import { API_BASE_PATH, buildOpenApiDocument } from './openapi.ts';
import { sendProblem, toProblem } from './problem.ts';
import { PROTECTED_RESOURCE_METADATA_PATH, protectedResourceMetadata } from './protected-resource-metadata.ts';
import { RateLimiter } from './rate-limiter.ts';
import { parseWith, readJsonBody } from './read-json-body.ts';
import { NoQuery } from './schemas.ts';
import { insufficientUserAuthentication } from './step-up-challenge.ts';
import { closeIfUnread } from '../../shared/http/close-if-unread.ts';

export { API_BASE_PATH } from './openapi.ts';
export { PROTECTED_RESOURCE_METADATA_PATH } from './protected-resource-metadata.ts';

/** Every operation of `/api/v1`, in the order the OpenAPI document lists them. */
export const API_ROUTES: readonly ApiRoute[] = [
  listScopesRoute,
  createRequestRoute,
  listRequestsRoute,
  getRequestRoute,
  approveRoute,
  denyRoute,
  cancelRoute,
  verifyRoute,
  verificationLinkRoute,
  listGrantsRoute,
  revealTokenRoute,
  endGrantRoute,
  extendGrantRoute,
  breakGlassRoute,
  acknowledgeBreakGlassRoute,
  flagBreakGlassRoute,
  readAuditRoute,
];

export interface ApiAdapterOptions {
  deps: ChatDeps;
  config: ApiConfig;
  /** Checks bearer tokens at the organisation's AS (bound once the AS is discovered). */
  verifier: AccessTokenVerifier;
  /** The AS's issuer identifier, advertised to clients. */
  issuer: string;
  publicUrl: string;
  logger: Logger;
  version: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface ApiAdapter {
  /** Mount on the one server: every path under `/api/v1`. */
  readonly mount: { prefix: typeof API_BASE_PATH; handler: Handler };
  /** `GET /.well-known/oauth-protected-resource` (RFC 9728). */
  readonly metadata: { path: typeof PROTECTED_RESOURCE_METADATA_PATH; handler: Handler };
  /** Ends every long poll at once, so a stopping server need not wait for them. */
  stop(): void;
}

/**
 * The HTTP API, a front door beside Slack and Teams: each call is authenticated by a bearer token
 * from the organisation's AS, limited per principal, validated against its schema, and handed to
 * the same use cases chat uses, so one state machine and one audit trail serve every door and a
 * decision here updates the chat messages there. Errors are RFC 9457 problem documents.
 */
export function createApiAdapter(options: ApiAdapterOptions): ApiAdapter {
  const { deps, config } = options;
  const logger = options.logger.child({ component: 'api' });
  const limiter = new RateLimiter(config.rateLimitPerMinute, deps.clock);
  const stopping = new AbortController();
  const metadataUrl = `${options.publicUrl.replace(/\/+$/, '')}${PROTECTED_RESOURCE_METADATA_PATH}`;
  const openApi = JSON.stringify(buildOpenApiDocument(API_ROUTES, { serverUrl: options.publicUrl, version: options.version }));
  const metadata = JSON.stringify(protectedResourceMetadata({ audience: config.audience, issuer: options.issuer, cliClientId: config.cliClientId, cliScope: config.cliScope }));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!.slice(API_BASE_PATH.length) || '/';
    if (req.method === 'GET' && path === '/openapi.json') return send(req, res, { status: 200, text: openApi, contentType: 'application/json' });
    let caller: ApiCaller | null = null;
    try {
      const matched = matchRoute(API_ROUTES, req.method ?? '', path);
      if (matched === null) throw new ElevateError('not_found', `There is no API operation at ${API_BASE_PATH}${path.slice(0, 100)}.`);
      if ('allowed' in matched) {
        const error = new ElevateError('method_not_allowed', `${String(req.method).slice(0, 10)} is not allowed here; use ${matched.allowed.join(' or ')}.`);
        return sendProblem(res, toProblem(error), { allow: matched.allowed.join(', '), ...closeIfUnread(req) });
      }
      caller = await authenticate(req, { store: deps.store, verifier: options.verifier });
      limiter.take(caller.principal.id);
      const { route, params } = matched;
      const query = parseWith(route.query ?? NoQuery, Object.fromEntries(new URL(req.url ?? '/', 'http://api').searchParams), 'query.');
      const body = route.method === 'POST' && route.body ? await readJsonBody(req, route.body) : undefined;
      const signal = AbortSignal.any([stopping.signal, closedSignal(res)]);
      const actor = { principalId: caller.principal.id, via: 'api' as const };
      const answer = await route.handle({ caller, actor, params, query, body, req, deps, logger: logger.child({ principal: caller.principal.id }), signal });
      send(req, res, answer);
    } catch (error) {
      refuse(req, res, error, caller);
    }
  }

  function refuse(req: IncomingMessage, res: ServerResponse, error: unknown, caller: ApiCaller | null): void {
    const problem = toProblem(error);
    const headers: Record<string, string> = closeIfUnread(req);
    if (isElevateError(error, 'unauthenticated')) headers['www-authenticate'] = bearerChallenge(error, metadataUrl);
    if (isElevateError(error, 'step_up_required')) headers['www-authenticate'] = insufficientUserAuthentication(error);
    if (isElevateError(error, 'rate_limited')) headers['retry-after'] = String(error.details['retryAfterSec'] ?? 60);
    const facts = { status: problem.status, method: req.method, path: (req.url ?? '').split('?')[0]?.slice(0, 200), principal: caller?.principal.id };
    if (problem.status >= 500) logger.error({ ...facts, err: describeError(error) }, 'api call failed');
    else logger.info({ ...facts, code: problem.code, reason: isElevateError(error) ? error.details['reason'] : undefined }, `api call refused: ${problem.code}`);
    if (!res.headersSent) sendProblem(res, problem, headers);
    else res.end();
  }

  return {
    mount: { prefix: API_BASE_PATH, handler: handle },
    metadata: {
      path: PROTECTED_RESOURCE_METADATA_PATH,
      handler: async (req, res) => send(req, res, { status: 200, text: metadata, contentType: 'application/json' }),
    },
    stop: () => stopping.abort(),
  };
}

function send(req: IncomingMessage, res: ServerResponse, answer: ApiAnswer): void {
  const text = 'json' in answer ? JSON.stringify(answer.json) : answer.text;
  res.writeHead(answer.status, {
    'content-type': 'json' in answer ? 'application/json; charset=utf-8' : answer.contentType,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...closeIfUnread(req),
    ...answer.headers,
  });
  res.end(text);
}

function closedSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}
