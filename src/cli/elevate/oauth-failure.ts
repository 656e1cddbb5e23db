import * as client from 'openid-client';
import { CliError } from './cli-error.ts';
import { EXIT } from './exit-codes.ts';
import { safeText } from './safe-text.ts';

/**
 * An openid-client failure as the user's sentence: the AS's own `error` and
 * `error_description` when it refused (an auth failure), "unreachable" when it could not be
 * reached, and the library's message otherwise. openid-client's messages name the check that
 * failed, never a token or the client secret.
 */
export function fromOAuthError(error: unknown, what: string): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof client.ResponseBodyError) {
    const description = error.error_description ? `: ${safeText(error.error_description, 300)}` : '';
    return new CliError(EXIT.auth, `${what} refused (${safeText(error.error, 64)}${description}).`, { cause: error });
  }
  const cause = (error as { cause?: unknown }).cause;
  if (isNetworkFailure(error) || isNetworkFailure(cause)) {
    const code = (cause as { code?: unknown } | undefined)?.code;
    return new CliError(EXIT.unreachable, `cannot reach ${what}${typeof code === 'string' ? `: ${code}` : ''}.`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CliError(EXIT.auth, `${what} could not be used: ${safeText(message, 300)}`, { cause: error });
}

function isNetworkFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (error instanceof TypeError && error.message === 'fetch failed') || error.name === 'TimeoutError';
}
