import { CliError } from './cli-error.ts';
import type { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { USER_AGENT } from './version.ts';

export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * One HTTP exchange with the CLI's User-Agent and a time limit. A connection failure or a
 * server that does not answer in time becomes the "unreachable" error, naming the host and
 * the reason (never the request, which may carry a token); Ctrl-C is passed on as it is.
 */
export async function sendHttp(ctx: CliContext, url: URL, init: RequestInit, what: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Response> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const headers = new Headers(init.headers);
  headers.set('user-agent', USER_AGENT);
  try {
    return await ctx.fetch(url, { ...init, headers, redirect: 'manual', signal: AbortSignal.any([ctx.signal, timeout]) });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    if (timeout.aborted) throw new CliError(EXIT.unreachable, `${what} at ${url.origin} did not answer within ${Math.round(timeoutMs / 1000)} s.`, { cause: error });
    throw new CliError(EXIT.unreachable, `cannot reach ${what} at ${url.origin}: ${networkReason(error)}.`, { cause: error });
  }
}

/** The system's reason for a failed connection (ECONNREFUSED, ENOTFOUND, a TLS error…). */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
