import { performance } from 'node:perf_hooks';
import type { Metrics, OAuthCallOperation } from '../../../ports/metrics.ts';
import { OAuthError } from '../oauth-error.ts';

/**
 * Runs one call to the AS and reports its duration and outcome: `ok`, or the failure's reason as
 * the client classified it (a closed list), `other` for anything else. Never the AS's own text.
 */
export async function measuredCall<T>(metrics: Metrics, operation: OAuthCallOperation, call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    const result = await call();
    metrics.oauthCall(operation, 'ok', (performance.now() - started) / 1000);
    return result;
  } catch (error) {
    metrics.oauthCall(operation, error instanceof OAuthError ? error.reason : 'other', (performance.now() - started) / 1000);
    throw error;
  }
}
