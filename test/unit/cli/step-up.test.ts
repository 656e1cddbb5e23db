import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/cli/elevate/exit-codes.ts';
import { readStepUpChallenge } from '../../../src/cli/elevate/step-up-challenge.ts';
import { TokenCache } from '../../../src/cli/elevate/token-cache.ts';
import { aCachedLogin, anApiRequest, cliHarness, startApiServer, type ApiAnswerScript } from './cli-harness.ts';

const VERIFYING = { status: 'verifying' as const, requester: 'alice', approvals: ['bob'], verification: { acr_values: ['urn:example:loa:2'], max_age: 300 } };
const GRANTED = { status: 'approved' as const, requester: 'alice', approvals: ['bob'], grant: { id: 'grt_1', status: 'active' as const, startsAt: '2026-03-02T09:01:00.000Z', endsAt: '2026-03-02T09:16:00.000Z', endedAt: null } };
const problem = (status: number, code: string, detail: string) => ({ type: `urn:elevate:problem:${code}`, title: code, status, code, detail });
const STEP_UP_HEADER = 'Bearer error="insufficient_user_authentication", error_description="A fresh sign-in is needed", acr_values="urn:example:loa:2 urn:example:loa:3", max_age=300';

describe('elevate and multi-factor step-up', () => {
  const harnesses: ReturnType<typeof cliHarness>[] = [];
  const servers: Server[] = [];
  afterEach(async () => {
    harnesses.splice(0).forEach((h) => h.cleanUp());
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });
  async function setUp(answer: ApiAnswerScript, login: Parameters<typeof aCachedLogin>[0] = {}) {
    const api = await startApiServer(servers, answer);
    const h = cliHarness();
    harnesses.push(h);
    new TokenCache(h.configDir).write(aCachedLogin({ server: api.url, ...login }));
    return { api, h };
  }

  it('status --wait verifies a request waiting for its requester, once, and reports the grant', async () => {
    let verified = false;
    const { api, h } = await setUp((req) => {
      if (req.method === 'POST' && req.url === '/api/v1/requests/req_1/verification') {
        verified = true;
        return { status: 200, json: { request: anApiRequest(GRANTED) } };
      }
      return { status: 200, json: { request: anApiRequest(verified ? GRANTED : VERIFYING) } };
    });
    expect(await h.run('status', 'req_1', '--wait', '--server', api.url)).toBe(EXIT.ok);
    expect(api.seen.filter((c) => c.url.endsWith('/verification'))).toHaveLength(1);
    expect(h.out.stdout).toContain('grt_1');
  });

  it('an approver following a verifying request is refused the verification and goes on waiting', async () => {
    let gets = 0;
    const { api, h } = await setUp((req) => {
      if (req.method === 'POST') return { status: 403, type: 'application/problem+json', json: problem(403, 'forbidden', 'Only the requester can verify to receive this token.') };
      return { status: 200, json: { request: anApiRequest(++gets >= 2 ? GRANTED : VERIFYING) } };
    }, { subject: 'bob' });
    expect(await h.run('status', 'req_1', '--wait', '--server', api.url)).toBe(EXIT.ok);
    expect(api.seen.filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(api.seen.filter((c) => c.method === 'GET').length).toBeGreaterThanOrEqual(2);
  });

  it('a service account challenged for a step-up exits 6 saying a person has to verify, and sends nothing again', async () => {
    const { api, h } = await setUp(
      (req) =>
        req.method === 'POST'
          ? { status: 401, type: 'application/problem+json', headers: { 'www-authenticate': STEP_UP_HEADER }, json: problem(401, 'step_up_required', 'Approving on scope prod needs a fresh multi-factor sign-in.') }
          : { status: 200, json: { request: anApiRequest({ status: 'pending' }) } },
      { method: 'client_credentials', subject: 'svc-deploy', refreshToken: undefined },
    );
    expect(await h.run('approve', 'req_1', '--server', api.url)).toBe(EXIT.auth);
    expect(h.out.stderr).toContain('error (step_up_required): Approving on scope prod needs a fresh multi-factor sign-in.');
    expect(h.out.stderr).toContain("service account's (client credentials)");
    expect(api.seen.filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(h.out.stderr).not.toContain('cached-access-token');
  });

  it('verify as someone who is not the requester exits 1 with the server\'s reason', async () => {
    const { api, h } = await setUp((req) =>
      req.method === 'POST' ? { status: 403, type: 'application/problem+json', json: problem(403, 'forbidden', 'Only the requester can verify to receive this token.') } : { status: 200, json: { request: anApiRequest(VERIFYING) } },
    );
    expect(await h.run('verify', 'req_1', '--server', api.url)).toBe(EXIT.failed);
    expect(h.out.stderr).toBe('error (forbidden): Only the requester can verify to receive this token.\n');
  });

  it('a scope that refuses service accounts for want of MFA exits 3 (denied by policy)', async () => {
    const { api, h } = await setUp(() => ({ status: 403, type: 'application/problem+json', json: problem(403, 'step_up_unavailable', 'Scope prod needs its requester to verify with MFA; service accounts cannot.') }), {
      method: 'client_credentials',
    });
    expect(await h.run('request', 'prod', '15m', 'deploy', '--server', api.url)).toBe(EXIT.denied);
  });

  describe('reading an RFC 9470 challenge', () => {
    it('takes acr_values (space separated) and max_age from the Bearer challenge', () => {
      expect(readStepUpChallenge(STEP_UP_HEADER)).toEqual({ acrValues: ['urn:example:loa:2', 'urn:example:loa:3'], maxAgeSec: 300, description: 'A fresh sign-in is needed' });
    });
    it('finds the Bearer challenge among others and ignores a malformed max_age', () => {
      expect(readStepUpChallenge('DPoP algs="ES256", Bearer error="insufficient_user_authentication", max_age=soon')).toEqual({ acrValues: [], maxAgeSec: null, description: null });
    });
    it('is null for other errors and no header', () => {
      expect(readStepUpChallenge('Bearer error="invalid_token"')).toBeNull();
      expect(readStepUpChallenge(null)).toBeNull();
    });
  });
});
