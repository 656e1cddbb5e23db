import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import type { ChatDeps } from '../../app/chat/chat-deps.ts';
import type { Logger } from '../../logging/logger.ts';
import type { ApiCaller } from './authenticate.ts';

/** What a handler gets: the authenticated caller, the checked path, query and body. */
export interface ApiCall<Q = Record<string, unknown>, B = unknown> {
  caller: ApiCaller;
  /** The caller as the use cases take it. */
  actor: { principalId: string; via: 'api' };
  params: Readonly<Record<string, string>>;
  query: Q;
  body: B;
  req: IncomingMessage;
  deps: ChatDeps;
  logger: Logger;
  /** Aborted when the caller goes away or the server stops: long polls end early. */
  signal: AbortSignal;
}

export type ApiAnswer =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | { status: number; text: string; contentType: string; headers?: Record<string, string> };

/**
 * One operation of `/api/v1`: its method and path template (`/requests/{id}`), the schemas of its
 * query, body and answer (which validate the call and make the OpenAPI document), and its handler.
 */
export interface ApiRoute {
  method: 'GET' | 'POST';
  path: string;
  operationId: string;
  summary: string;
  /** False only for the OpenAPI document itself. */
  authenticated: boolean;
  query?: z.ZodObject;
  body?: z.ZodType;
  answer: { status: number; schema?: z.ZodType; contentType?: string; description: string };
  /** Error codes this operation answers with, besides authentication and rate limits. */
  refusals: readonly string[];
  // The handler's types are checked where each route is declared (`defineRoute`).
  handle(call: ApiCall<any, any>): Promise<ApiAnswer>;
}

/** Declares a route with its handler typed by its own schemas. */
export function defineRoute<Q extends z.ZodObject | undefined, B extends z.ZodType | undefined>(
  route: Omit<ApiRoute, 'handle' | 'query' | 'body'> & {
    query?: Q;
    body?: B;
    handle(call: ApiCall<Q extends z.ZodObject ? z.output<Q> : Record<string, never>, B extends z.ZodType ? z.output<B> : undefined>): Promise<ApiAnswer>;
  },
): ApiRoute {
  return route as ApiRoute;
}

/** Matches a path against the route templates; `{name}` captures one segment. */
export function matchRoute(routes: readonly ApiRoute[], method: string, path: string): { route: ApiRoute; params: Record<string, string> } | { allowed: string[] } | null {
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    if (route.method === method) return { route, params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { allowed } : null;
}

function matchPath(template: string, path: string): Record<string, string> | null {
  const want = template.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i]!;
    if (part.startsWith('{')) {
      let value: string;
      try {
        value = decodeURIComponent(got[i]!);
      } catch {
        return null;
      }
      if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(value)) return null;
      params[part.slice(1, -1)] = value;
    } else if (part !== got[i]) return null;
  }
  return params;
}
