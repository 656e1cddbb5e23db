import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiRequest } from '../../../src/cli/elevate/api-types.ts';
import type { CliContext } from '../../../src/cli/elevate/context.ts';
import { runElevate } from '../../../src/cli/elevate/program.ts';
import type { CachedLogin } from '../../../src/cli/elevate/token-cache.ts';

/** A CLI context writing into strings, with its own config directory and a fixed clock. */
export function cliHarness(env: Record<string, string> = {}, now = Date.parse('2026-03-02T09:00:00Z')) {
  const configDir = mkdtempSync(join(tmpdir(), 'elevate-cli-unit-'));
  const out = { stdout: '', stderr: '' };
  const ctx: CliContext = {
    env: { ELEVATE_CONFIG_DIR: configDir, ...env },
    io: { stdout: (s) => void (out.stdout += s), stderr: (s) => void (out.stderr += s), stderrIsTty: false },
    fetch: globalThis.fetch,
    now: () => now,
    signal: new AbortController().signal,
  };
  return {
    ctx,
    configDir,
    out,
    run: (...argv: string[]) => runElevate(argv, ctx),
    cleanUp: () => rmSync(configDir, { recursive: true, force: true }),
  };
}

/** A cached login as `elevate login` leaves it. */
export function aCachedLogin(overrides: Partial<CachedLogin> = {}): CachedLogin {
  return {
    server: 'http://127.0.0.1:3000',
    method: 'device',
    issuer: 'http://127.0.0.1:3000/oauth',
    clientId: 'elevate-cli',
    resource: 'http://127.0.0.1:3000/api',
    subject: 'alice',
    accessToken: 'eyJ.cached-access-token.sig',
    expiresAt: Date.parse('2026-03-02T09:10:00Z'),
    refreshToken: 'cached-refresh-token',
    ...overrides,
  };
}

/** A request resource as the API answers it. */
export function anApiRequest(overrides: Partial<ApiRequest> = {}): ApiRequest {
  return {
    id: 'req_1',
    scope: 'prod-db-admin',
    requester: 'svc-deploy',
    duration: '15m',
    durationSec: 900,
    reason: 'INC-1 fix',
    source: 'cli',
    status: 'pending',
    approvalsRequired: 1,
    approvals: [],
    denials: [],
    eligibleApprovers: ['bob'],
    createdAt: '2026-03-02T09:00:00.000Z',
    pendingUntil: '2026-03-02T09:30:00.000Z',
    decidedAt: null,
    decisionNote: null,
    grant: null,
    ...overrides,
  };
}
