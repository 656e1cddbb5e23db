import type { Server } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiRequest } from '../../../src/cli/elevate/api-types.ts';
import { EXIT } from '../../../src/cli/elevate/exit-codes.ts';
import { TokenCache } from '../../../src/cli/elevate/token-cache.ts';
import { freePort } from '../../support/free-port.ts';
import { aCachedLogin, anApiRequest, cliHarness, startApiServer, type ApiAnswerScript } from './cli-harness.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;

describe('the elevate command line', () => {
  const harnesses: ReturnType<typeof cliHarness>[] = [];
  const servers: Server[] = [];
  afterEach(async () => {
    harnesses.splice(0).forEach((h) => h.cleanUp());
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });
  function harness(env: Record<string, string> = {}) {
    const h = cliHarness(env);
    harnesses.push(h);
    return h;
  }

  const apiServer = (answer: ApiAnswerScript) => startApiServer(servers, answer);

  function loggedIn(h: ReturnType<typeof cliHarness>, server: string) {
    new TokenCache(h.configDir).write(aCachedLogin({ server }));
  }

  describe('usage errors exit 2 and say what is wrong', () => {
    it.each([
      [['frob'], "unknown command 'frob'"],
      [['request', 'prod-db-admin', '15m'], "missing required argument 'reason'"],
      [['deny', 'req_1'], "required option '--reason <text>' not specified"],
      [['approve'], "missing required argument 'id'"],
      [['request', 'prod-db-admin', '15m', 'fix', '--idempotency-key', 'has space'], 'use 1–128 visible ASCII characters'],
      [['queue', '--colour'], "unknown option '--colour'"],
      [['queue', '--server', 'http://elevate.example.com'], 'uses plain http: only https, or http to localhost, is allowed'],
      [['queue', '--server', 'not a url'], 'is not a URL'],
      [['login', '--client-credentials'], 'ELEVATE_CLIENT_ID is not set'],
    ])('elevate %j', async (argv, message) => {
      const h = harness();
      expect(await h.run(...argv)).toBe(EXIT.usage);
      expect(h.out.stderr).toContain(message);
      expect(h.out.stdout).toBe('');
    });

    it('refuses a secret given both inline and as a file, without printing it', async () => {
      const h = harness({ ELEVATE_CLIENT_ID: 'svc-deploy', ELEVATE_CLIENT_SECRET: 's3cr3t-value', ELEVATE_CLIENT_SECRET_FILE: '/nowhere' });
      expect(await h.run('login', '--client-credentials')).toBe(EXIT.usage);
      expect(h.out.stderr).toContain('Set ELEVATE_CLIENT_SECRET or ELEVATE_CLIENT_SECRET_FILE, not both.');
      expect(h.out.stderr).not.toContain('s3cr3t-value');
    });
  });

  it('documents every exit code in --help, and exits 0 for help and --version', async () => {
    const h = harness();
    expect(await h.run('--help')).toBe(EXIT.ok);
    for (const line of ['0  granted', '1  the server refused', '2  usage error', '3  the request was denied', '4  the request expired', '5  the request was cancelled', '6  authentication', '7  the Elevate server or its authorization server is unreachable']) {
      expect(h.out.stdout).toContain(line);
    }
    expect(await h.run('--version')).toBe(EXIT.ok);
    expect(h.out.stdout).toMatch(/^\d+\.\d+\.\d+$/m);
  });

  it('exits 6 when not logged in to the server, naming it', async () => {
    const h = harness({ ELEVATE_URL: 'http://127.0.0.1:3999' });
    expect(await h.run('scopes')).toBe(EXIT.auth);
    expect(h.out.stderr).toBe('Not logged in to http://127.0.0.1:3999: run `elevate login` (or `elevate login --client-credentials` for a service account).\n');
  });

  it('exits 7 when the server is unreachable, without the token in the message', async () => {
    const port = await freePort();
    const h = harness();
    loggedIn(h, `http://127.0.0.1:${port}`);
    expect(await h.run('queue', '--server', `http://127.0.0.1:${port}`)).toBe(EXIT.unreachable);
    expect(h.out.stderr).toBe(`cannot reach the Elevate server at http://127.0.0.1:${port}: ECONNREFUSED.\n`);
  });

  it('sends the cached token, its User-Agent and JSON; prints the problem the API answers and exits 1', async () => {
    const api = await apiServer(() => ({ status: 403, type: 'application/problem+json', json: { type: 'urn:elevate:problem:self_approval', title: 'Self-approval', status: 403, detail: 'You cannot approve your own request.', code: 'self_approval' } }));
    const h = harness();
    loggedIn(h, api.url);
    expect(await h.run('approve', 'req_1', '--comment', 'ok', '--server', api.url)).toBe(EXIT.failed);
    expect(h.out.stderr).toBe('error (self_approval): You cannot approve your own request.\n');
    const [call] = api.seen;
    expect(call).toMatchObject({ method: 'POST', url: '/api/v1/requests/req_1/approve', body: '{"comment":"ok"}' });
    expect(call?.headers).toMatchObject({ authorization: 'Bearer eyJ.cached-access-token.sig', 'content-type': 'application/json', 'user-agent': /^elevate-cli\/\d+\.\d+\.\d+$/ });
  });

  it('asks for an extension and for break-glass through their API routes', async () => {
    const api = await apiServer(() => ({ status: 201, json: { request: anApiRequest() } }));
    const h = harness();
    loggedIn(h, api.url);
    expect(await h.run('extend', 'grt_1', '30m', 'INC-1', 'longer', '--server', api.url)).toBe(EXIT.ok);
    expect(await h.run('extend', 'grt_1', '15m', '--server', api.url)).toBe(EXIT.ok);
    expect(await h.run('break-glass', 'prod-db-admin', '30m', 'INC-9', 'down', '--server', api.url)).toBe(EXIT.ok);
    expect(await h.run('break-glass', 'prod-db-admin', '30m', '--server', api.url)).toBe(EXIT.usage);
    expect(api.seen.map((call) => [call.url, call.body])).toEqual([
      ['/api/v1/grants/grt_1/extensions', '{"duration":"30m","reason":"INC-1 longer"}'],
      ['/api/v1/grants/grt_1/extensions', '{"duration":"15m"}'],
      ['/api/v1/break-glass', '{"scope":"prod-db-admin","duration":"30m","reason":"INC-9 down"}'],
    ]);
  });

  it('keeps an id from the command line inside its path segment', async () => {
    const api = await apiServer(() => ({ status: 200, json: { request: anApiRequest() } }));
    const h = harness();
    loggedIn(h, api.url);
    await h.run('status', '../grants/grt_1/token', '--server', api.url);
    expect(api.seen[0]?.url).toBe('/api/v1/requests/..%2Fgrants%2Fgrt_1%2Ftoken');
  });

  it('sends the same generated Idempotency-Key again when the first attempt fails, so one request is made', async () => {
    let calls = 0;
    const api = await apiServer(() =>
      ++calls === 1
        ? { status: 503, type: 'application/problem+json', json: { code: 'store_unavailable', title: 'Unavailable', status: 503, detail: 'The store is unavailable; try again.' } }
        : { status: 201, json: { request: anApiRequest() } },
    );
    const h = harness();
    loggedIn(h, api.url);
    expect(await h.run('request', 'prod-db-admin', '15m', 'INC-1', 'fix', '--server', api.url)).toBe(EXIT.ok);
    const keys = api.seen.map((c) => c.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(JSON.parse(api.seen[0]!.body)).toEqual({ scope: 'prod-db-admin', duration: '15m', reason: 'INC-1 fix' });
    expect(h.out.stdout).toContain('req_1  prod-db-admin for 15m');
  });

  it('uses the Idempotency-Key it is given', async () => {
    const api = await apiServer(() => ({ status: 201, json: { request: anApiRequest() } }));
    const h = harness();
    loggedIn(h, api.url);
    await h.run('request', 'prod-db-admin', '15m', 'fix', '--idempotency-key', 'deploy-4711', '--server', api.url);
    expect(api.seen[0]?.headers['idempotency-key']).toBe('deploy-4711');
  });

  it.each<[string, Partial<ApiRequest>, number]>([
    ['denied', { status: 'denied', denials: ['bob'] }, EXIT.denied],
    ['expired', { status: 'expired' }, EXIT.expired],
    ['cancelled', { status: 'cancelled' }, EXIT.cancelled],
    ['denied by policy', { status: 'auto_denied', decisionNote: 'outside working hours' }, EXIT.denied],
  ])('status of a %s request exits with its own code, and --json prints the API\'s request', async (_name, overrides, code) => {
    const api = await apiServer(() => ({ status: 200, json: { request: anApiRequest(overrides) } }));
    const h = harness();
    loggedIn(h, api.url);
    expect(await h.run('status', 'req_1', '--json', '--server', api.url)).toBe(code);
    expect(JSON.parse(h.out.stdout)).toEqual({ request: anApiRequest(overrides) });
  });

  it('with --print-token and no grant prints nothing on stdout, the outcome on stderr', async () => {
    const api = await apiServer(() => ({ status: 200, json: { request: anApiRequest({ status: 'denied', denials: ['bob'], decisionNote: 'no' }) } }));
    const h = harness();
    loggedIn(h, api.url);
    expect(await h.run('status', 'req_1', '--print-token', '--server', api.url)).toBe(EXIT.denied);
    expect(h.out.stdout).toBe('');
    expect(h.out.stderr).toContain('req_1: denied by bob: no');
  });

  it('says to log in again when the server refuses the token and there is no way to renew it', async () => {
    const api = await apiServer(() => ({ status: 401, type: 'application/problem+json', headers: { 'www-authenticate': 'Bearer error="invalid_token"' }, json: { type: 'urn:elevate:problem:unauthenticated', title: 'Unauthenticated', status: 401, code: 'unauthenticated', detail: 'The access token is not valid.' } }));
    const h = harness();
    new TokenCache(h.configDir).write(aCachedLogin({ server: api.url, refreshToken: undefined }));
    expect(await h.run('scopes', '--server', api.url)).toBe(EXIT.auth);
    expect(h.out.stderr).toBe(`Your login to ${api.url} has expired: run \`elevate login\` again.\n`);
    expect(h.out.stderr).not.toContain('cached-access-token');
  });

  it('talks HTTP only: imports nothing of the service (app, adapters, ports, domain, config)', () => {
    const dir = join(ROOT, 'src/cli/elevate');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const imports = [...readFileSync(join(dir, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      for (const specifier of imports.filter((s) => s.startsWith('.'))) {
        const resolved = join(dir, file, '..', specifier);
        expect(resolved.startsWith(dir), `${file} imports ${specifier}`).toBe(true);
      }
    }
  });
});
