import { readOAuthConfig, type OAuthConfig } from '../../../src/config/oauth.ts';
import type { ExchangeInput } from '../../../src/ports/token-issuer.ts';

/**
 * An `OAuthConfig` read the way production reads it, from environment variables, failing the
 * test if any of them is rejected.
 */
export function oauthConfigFor(options: { issuer: string; publicUrl: string; clientId?: string; clientSecret?: string; timeoutMs?: number; env?: Record<string, string> }): OAuthConfig {
  const problems: { key: string; message: string }[] = [];
  const config = readOAuthConfig(
    {
      OAUTH_ISSUER: options.issuer,
      OAUTH_CLIENT_ID: options.clientId ?? 'elevate-bot',
      ...(options.clientSecret === undefined ? {} : { OAUTH_CLIENT_SECRET: options.clientSecret }),
      ...(options.timeoutMs === undefined ? {} : { OAUTH_TIMEOUT_MS: String(options.timeoutMs) }),
      ...options.env,
    },
    problems,
    { publicUrl: options.publicUrl, dataDir: '/nonexistent-elevate-test-dir', nodeEnv: 'test' },
  );
  if (problems.length > 0) throw new Error(`test OAuth config rejected: ${JSON.stringify(problems)}`);
  return config;
}

export function exchangeInput(overrides: Partial<ExchangeInput> = {}): ExchangeInput {
  return {
    grantId: 'grant-0001',
    requester: { id: 'alice@example.com', kind: 'human' },
    approvers: ['bob@example.com', 'carol@example.com'],
    scope: { name: 'prod-db-admin', oauthScope: 'db:admin', audience: 'https://db.internal.example' },
    windowEndsAt: new Date(Date.now() + 15 * 60 * 1000),
    ...overrides,
  };
}
