import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
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

/** What a scripted API server answers to one call. */
export type ApiAnswerScript = (req: IncomingMessage, body: string) => { status: number; json: unknown; type?: string; headers?: Record<string, string> };

/** A loopback HTTP server answering the API's paths from a script of answers, recording what it was sent; added to `servers` to be closed. */
export async function startApiServer(servers: Server[], answer: ApiAnswerScript) {
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const a = answer(req, body);
      res.writeHead(a.status, { 'content-type': a.type ?? 'application/json', ...a.headers }).end(JSON.stringify(a.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, seen };
}
