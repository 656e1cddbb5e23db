import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient } from './api-client.ts';
import type { ApiRequest } from './api-types.ts';
import { CliError } from './cli-error.ts';
import type { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { ApiProblemError } from './problem.ts';

/** The API's rule for an Idempotency-Key: 1–128 visible ASCII characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

const ATTEMPTS = 3;

export interface RequestInput {
  scope: string;
  duration: string;
  reason: string;
}

/**
 * `POST /api/v1/requests` with an Idempotency-Key, sent again with the same key when the
 * connection fails or the server answers 5xx/429: the server answers a repeated key with the
 * request it already made, so a retry never creates a second one. When every attempt fails
 * the message gives the key, so the user can retry by hand with `--idempotency-key`.
 */
export async function submitRequest(ctx: CliContext, api: ApiClient, input: RequestInput, key: string): Promise<ApiRequest> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { body } = await api.post<{ request: ApiRequest }>('/api/v1/requests', { body: input, headers: { 'idempotency-key': key } });
      return body.request;
    } catch (error) {
      const transient = (error instanceof ApiProblemError && (error.problem.status >= 500 || error.problem.status === 429)) || (error instanceof CliError && error.exitCode === EXIT.unreachable);
      if (!transient || ctx.signal.aborted) throw error;
      if (attempt >= ATTEMPTS) {
        const message = `${error.message}\nThe request may or may not have been made: run the same command with --idempotency-key ${key} to find out without making a second one.`;
        throw new CliError(error.exitCode, message, { cause: error });
      }
      ctx.io.stderr(`${error.message} — trying again (same Idempotency-Key)\n`);
      await sleep(1000 * attempt, undefined, { signal: ctx.signal });
    }
  }
}
