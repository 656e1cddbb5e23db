import { CliError } from './cli-error.ts';
import type { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { ApiProblemError, parseProblem, type Problem } from './problem.ts';
import { sendHttp, DEFAULT_TIMEOUT_MS } from './send-http.ts';
import { safeText } from './safe-text.ts';
import { serverKey, serverPath } from './server-url.ts';
import { bearerErrorOf, readStepUpChallenge, type StepUpRequest } from './step-up-challenge.ts';

/** Where the client gets its bearer token, and a fresh one when the server refuses it. */
export interface AccessTokenSource {
  current(): Promise<string>;
  /** A new token (refreshed or re-requested); throws an auth error when that is not possible. */
  renew(): Promise<string>;
  /**
   * A token from a new sign-in that satisfies an RFC 9470 challenge (`acr_values`, `max_age`);
   * `reason` is the server's sentence for why. Throws an auth error when this login cannot sign
   * in again (a service account's).
   */
  stepUp(request: StepUpRequest, reason: string): Promise<string>;
}

export interface ApiCallOptions {
  body?: unknown;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface ApiAnswer<T> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * The Elevate HTTP API v1 as the CLI sees it: JSON in and out, bearer authentication, problem
 * documents turned into {@link ApiProblemError}s. A token the server refuses as invalid is
 * renewed once, and a sign-in it finds too weak or too old is done again (RFC 9470 step-up),
 * and the call sent again.
 */
export class ApiClient {
  constructor(
    private readonly ctx: CliContext,
    private readonly server: URL,
    private readonly tokens: AccessTokenSource,
  ) {}

  get<T>(path: string, options: ApiCallOptions = {}): Promise<ApiAnswer<T>> {
    return this.send<T>('GET', path, options);
  }

  post<T>(path: string, options: ApiCallOptions = {}): Promise<ApiAnswer<T>> {
    return this.send<T>('POST', path, { body: {}, ...options });
  }

  /**
   * Sends one call. A 401 `invalid_token` renews the token once; a 401
   * `insufficient_user_authentication` (RFC 9470) signs in again with the challenge's
   * `acr_values` and `max_age` once; each time the call is sent again. A second step-up
   * challenge for the same call ends with a message saying the new sign-in was not enough.
   */
  private async send<T>(method: 'GET' | 'POST', path: string, options: ApiCallOptions): Promise<ApiAnswer<T>> {
    let token = await this.tokens.current();
    let renewed = false;
    let steppedUp = false;
    for (;;) {
      const response = await this.exchange(method, path, options, token);
      if (response.status === 401) {
        const header = response.headers.get('www-authenticate');
        if (!renewed && !steppedUp && bearerErrorOf(header) === 'invalid_token') {
          renewed = true;
          await response.body?.cancel();
          token = await this.tokens.renew();
          continue;
        }
        const stepUp = readStepUpChallenge(header);
        if (stepUp) {
          const problem = parseProblem(response.status, response.headers.get('content-type'), await response.text());
          const reason = problem.detail || safeText(stepUp.description ?? '', 300) || 'This needs a stronger or more recent sign-in.';
          if (steppedUp) throw stepUpNotEnough(reason, stepUp);
          steppedUp = true;
          token = await this.tokens.stepUp(stepUp, reason);
          continue;
        }
      }
      return this.read<T>(response);
    }
  }

  private exchange(method: string, path: string, options: ApiCallOptions, token: string): Promise<Response> {
    const url = serverPath(this.server, path);
    for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, value);
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json', authorization: `Bearer ${token}`, ...options.headers };
    const init: RequestInit = { method, headers };
    if (method === 'POST') {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(options.body ?? {});
    }
    return sendHttp(this.ctx, url, init, 'the Elevate server', options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  private async read<T>(response: Response): Promise<ApiAnswer<T>> {
    const text = await response.text();
    if (response.status >= 200 && response.status < 300) {
      try {
        return { status: response.status, headers: response.headers, body: JSON.parse(text) as T };
      } catch (error) {
        throw new CliError(EXIT.failed, `the Elevate server at ${serverKey(this.server)} answered ${response.status} with something that is not JSON: is --server right?`, { cause: error });
      }
    }
    const problem = parseProblem(response.status, response.headers.get('content-type'), text);
    if (response.status === 401) throw this.authenticationProblem(problem);
    if (response.status === 429) {
      const retryAfter = response.headers.get('retry-after');
      throw new ApiProblemError(problem, retryAfter ? ` (try again in ${Number.parseInt(retryAfter, 10) || retryAfter} s)` : '');
    }
    throw new ApiProblemError(problem);
  }

  private authenticationProblem(problem: Problem): CliError {
    return new ApiProblemError(problem, ` — run \`elevate login --server ${serverKey(this.server)}\` (or \`elevate login --client-credentials\` for a service account).`);
  }
}

/** The `error` parameter of a Bearer challenge (RFC 6750 §3), if there is one. */
export function bearerError(headers: Headers): string | undefined {
  return bearerErrorOf(headers.get('www-authenticate'));
}

/** The end of a call challenged again right after a new sign-in: that sign-in does not satisfy the scope either. */
function stepUpNotEnough(reason: string, asked: StepUpRequest): CliError {
  const wanted = [
    ...(asked.acrValues.length > 0 ? [`acr ${asked.acrValues.map((v) => safeText(v, 100)).join(' or ')}`] : []),
    ...(asked.maxAgeSec !== null ? [`at most ${asked.maxAgeSec} s old`] : []),
  ];
  return new CliError(
    EXIT.auth,
    `error (step_up_required): ${reason} The new sign-in did not satisfy it either${wanted.length > 0 ? ` (asked for ${wanted.join(', ')})` : ''}: sign in with a multi-factor method the scope accepts (\`elevate scopes\` shows them), or ask an admin.`,
  );
}
