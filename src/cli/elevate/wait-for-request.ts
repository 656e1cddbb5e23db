import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient } from './api-client.ts';
import type { ApiRequest } from './api-types.ts';
import { CliError } from './cli-error.ts';
import type { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { ApiProblemError } from './problem.ts';
import type { WaitProgress } from './progress.ts';
import { isSettled } from './request-outcome.ts';

/** Seconds each long poll asks the server to hold the call (the API allows up to 60). */
const LONG_POLL_SEC = 25;
/** Consecutive failed polls (network, 429, 5xx) tolerated before giving up. */
const MAX_FAILURES = 5;

/**
 * Long-polls `GET /api/v1/requests/{id}?wait=…` until the request is settled. A dropped
 * connection, a 429 or a 5xx is retried with a growing pause; Ctrl-C stops waiting (the
 * request itself stays as it is) and says how to pick up again.
 *
 * With `verify` (the caller is the requester), a request that reaches `verifying` is verified
 * once with the caller's own sign-in (`POST …/verification`, which may ask for a new sign-in
 * first, see {@link ApiClient}); the token follows.
 */
export async function waitForRequest(ctx: CliContext, api: ApiClient, request: ApiRequest, progress: WaitProgress, verify?: (request: ApiRequest) => Promise<ApiRequest>): Promise<ApiRequest> {
  let current = request;
  let failures = 0;
  let verified = false;
  try {
    while (!isSettled(current)) {
      try {
        if (verify && !verified && current.status === 'verifying') {
          current = await verify(current);
          verified = true;
          failures = 0;
          progress.update(current);
          continue;
        }
        const answer = await api.get<{ request: ApiRequest }>(`/api/v1/requests/${encodeURIComponent(current.id)}`, {
          query: { wait: String(LONG_POLL_SEC) },
          timeoutMs: (LONG_POLL_SEC + 20) * 1000,
        });
        current = answer.body.request;
        failures = 0;
        progress.update(current);
      } catch (error) {
        if (ctx.signal.aborted || !isTransient(error) || ++failures > MAX_FAILURES) throw error;
        const pause = Math.min(2 ** failures, 30);
        progress.note(`${(error as Error).message} — trying again in ${pause} s`);
        await sleep(pause * 1000, undefined, { signal: ctx.signal });
      }
    }
  } catch (error) {
    if (ctx.signal.aborted) {
      throw new CliError(EXIT.interrupted, `Stopped waiting. The request ${current.id} is still ${current.status}: \`elevate status ${current.id} --wait\` picks up again.`, { cause: error });
    }
    throw error;
  } finally {
    progress.stop();
  }
  return current;
}

function isTransient(error: unknown): boolean {
  if (error instanceof ApiProblemError) return error.problem.status === 429 || error.problem.status >= 500;
  return error instanceof CliError && error.exitCode === EXIT.unreachable;
}
