import { ApiClient } from './api-client.ts';
import type { CliContext } from './context.ts';
import { LoginSession } from './login-session.ts';
import { resolveServer } from './server-url.ts';
import { configDir, TokenCache } from './token-cache.ts';

/** The options every command takes (`--server`, `--json`). */
export interface GlobalOptions {
  server?: string;
  json?: boolean;
}

/** What a command works with: the server it talks to, its login cache, an API client, the output mode. */
export interface CommandSetup {
  ctx: CliContext;
  server: URL;
  json: boolean;
  cache: TokenCache;
  api: ApiClient;
}

export function setUp(ctx: CliContext, globals: GlobalOptions): CommandSetup {
  const server = resolveServer(globals.server, ctx.env);
  const cache = new TokenCache(configDir(ctx.env));
  return { ctx, server, json: Boolean(globals.json), cache, api: new ApiClient(ctx, server, new LoginSession(ctx, server, cache)) };
}

/** A path segment from the command line, so `../` in an id cannot reach another endpoint. */
export function segment(id: string): string {
  return encodeURIComponent(id);
}
