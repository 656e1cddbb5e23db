import { CliError } from './cli-error.ts';
import type { CliContext } from './context.ts';
import { EXIT } from './exit-codes.ts';
import { ApiProblemError, parseProblem, type Problem } from './problem.ts';
import { sendHttp, DEFAULT_TIMEOUT_MS } from './send-http.ts';
import { serverKey, serverPath } from './server-url.ts';

/** Where the client gets its bearer token, and a fresh one when the server refuses it. */
export interface AccessTokenSource {
  current(): Promise<string>;
  /** A new token (refreshed or re-requested); throws an auth error when that is not possible. */
  renew(): Promise<string>;
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
 * renewed once and the call sent again.
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

  private async send<T>(method: 'GET' | 'POST', path: string, options: ApiCallOptions): Promise<ApiAnswer<T>> {
    let token = await this.tokens.current();
    for (let attempt = 0; ; attempt++) {
      const response = await this.exchange(method, path, options, token);
      if (response.status === 401 && attempt === 0 && isInvalidTokenChallenge(response.headers)) {
        await response.body?.cancel();
        token = await this.tokens.renew();
        continue;
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
    if (response.status === 401) throw this.authenticationProblem(problem, response.headers);
    if (response.status === 429) {
      const retryAfter = response.headers.get('retry-after');
      throw new ApiProblemError(problem, retryAfter ? ` (try again in ${Number.parseInt(retryAfter, 10) || retryAfter} s)` : '');
    }
    throw new ApiProblemError(problem);
  }

  private authenticationProblem(problem: Problem, headers: Headers): CliError {
    if (bearerError(headers) === 'insufficient_user_authentication') {
      // RFC 9470 step-up: the scope wants a fresher or stronger sign-in than this login. A later
      // issue makes `elevate login` run again here with the challenge's `acr_values` and
      // `max_age` (read from this WWW-Authenticate header) and retry the call; until then the
      // user is told what the server asked for.
      return new CliError(EXIT.auth, `error (insufficient_user_authentication): ${problem.detail || 'this needs a stronger or more recent sign-in'}. Run \`elevate login\` again.`);
    }
    return new ApiProblemError(problem, ` — run \`elevate login --server ${serverKey(this.server)}\` (or \`elevate login --client-credentials\` for a service account).`);
  }
}

/** The `error` parameter of a Bearer challenge (RFC 6750 §3), if there is one. */
export function bearerError(headers: Headers): string | undefined {
  const challenge = headers.get('www-authenticate') ?? '';
  return /^\s*Bearer\b.*?\berror="([^"]*)"/i.exec(challenge)?.[1];
}

function isInvalidTokenChallenge(headers: Headers): boolean {
  return bearerError(headers) === 'invalid_token';
}
