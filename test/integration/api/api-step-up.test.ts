import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../../src/main.ts';
import { personToken, serviceAccountToken } from '../../support/dev-as-tokens.ts';
import { LogCapture } from '../../support/log-capture.ts';
import { loopbackServiceEnv } from '../../support/loopback-service-env.ts';

const CONFIG = `
admins: [erin]
principals:
  - { id: alice, name: Alice }
  - { id: bob, name: Bob }
  - { id: erin, name: Erin }
  - { id: ci-deployer, name: CI deployer, kind: service }
scopes:
  - name: prod-db-admin
    description: Administer the production database
    oauth_scope: db:admin
    audience: https://db.example.com
    max_duration: 2h
    approvers: [bob]
    requesters: [alice]
    mfa: { requester: true, approver: true, max_age: 5m, amr: [otp, mfa] }
  - name: vault-root
    description: Root of the vault, approved only after a sign-in the development AS cannot give
    oauth_scope: vault:root
    audience: https://vault.example.com
    max_duration: 1h
    approvers: [bob]
    requesters: [alice]
    mfa: { approver: true, max_age: 5m, acr_values: ["urn:example:loa:phishing-resistant"], amr: [] }
  - name: deploy
    description: Deploy to production
    oauth_scope: deploy:prod
    audience: https://deploy.example.com
    max_duration: 1h
    approvers: [bob]
    requesters: [ci-deployer, alice]
    mfa: { requester: true, max_age: 5m }
  - name: deploy-ci
    description: Deploy from CI
    oauth_scope: deploy:ci
    audience: https://deploy.example.com
    max_duration: 1h
    approvers: [bob]
    requesters: [ci-deployer]
    mfa: { requester: true, max_age: 5m, allow_service_accounts: true }
channels:
  - { platform: slack, channel: C0REVIEW, scopes: [prod-db-admin, vault-root, deploy, deploy-ci] }
`;

/**
 * Step-up through the HTTP API (RFC 9470): the bearer token's own sign-in (`auth_time`, `acr`,
 * `amr`, from the embedded development AS's TOTP login) counts for an approver and for a
 * requester's verification; one that cannot satisfy the scope is answered with an
 * `insufficient_user_authentication` challenge and changes nothing.
 */
describe('multi-factor step-up through the HTTP API', () => {
  let service: RunningService;
  let dir: string;
  const logs = new LogCapture();
  const tokens: Record<string, string> = {};
  // Chat is off here: the reviewer channel exists only so the scopes can be requested; every decision goes through the API.

  async function api(principal: string, method: string, path: string, body?: unknown) {
    const response = await fetch(`${service.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[principal]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed: any = /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text;
    return { status: response.status, headers: response.headers, body: parsed };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-api-step-up-'));
    writeFileSync(join(dir, 'elevate.yaml'), CONFIG);
    service = await startService({ ...(await loopbackServiceEnv(dir)), ELEVATE_CONFIG: join(dir, 'elevate.yaml') }, { logDestination: logs });
    tokens['ci-deployer'] = await serviceAccountToken(service.url, dir, 'ci-deployer');
    for (const person of ['alice', 'bob']) tokens[person] = await personToken(service.url, dir, person);
  });

  afterAll(async () => {
    await service?.stop();
    for (const token of Object.values(tokens)) expect(logs.text()).not.toContain(token);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a service account on a scope whose requester must verify, saying why', async () => {
    const refused = await api('ci-deployer', 'POST', '/requests', { scope: 'deploy', duration: '15m', reason: 'release' });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'step_up_unavailable' });
    expect(refused.body.detail).toMatch(/service account/i);
    const allowed = await api('ci-deployer', 'POST', '/requests', { scope: 'deploy-ci', duration: '15m', reason: 'release' });
    expect(allowed.status).toBe(201);
  });

  it('challenges an approval whose sign-in cannot satisfy the scope (RFC 9470) and records nothing', async () => {
    const created = await api('alice', 'POST', '/requests', { scope: 'vault-root', duration: '15m', reason: 'rotate root' });
    const id = created.body.request.id as string;
    const approved = await api('bob', 'POST', `/requests/${id}/approve`, {});
    expect(approved.status).toBe(401);
    expect(approved.body).toMatchObject({ code: 'step_up_required' });
    const challenge = approved.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer error="insufficient_user_authentication", error_description="[^"]+"/);
    expect(challenge).toContain('acr_values="urn:example:loa:phishing-resistant"');
    expect(challenge).toContain('max_age=300');
    const after = await api('alice', 'GET', `/requests/${id}`);
    expect(after.body.request).toMatchObject({ status: 'pending', approvals: [] });
  });

  it('counts an approval made with a fresh second-factor sign-in, then issues only after the requester verifies', async () => {
    const created = await api('alice', 'POST', '/requests', { scope: 'prod-db-admin', duration: '30m', reason: 'INC-7 slow queries' });
    const id = created.body.request.id as string;
    const approved = await api('bob', 'POST', `/requests/${id}/approve`, { comment: 'ok' });
    expect(approved.status).toBe(200);
    expect(approved.body.request).toMatchObject({ status: 'verifying', approvals: ['bob'], grant: null, verification: { acr_values: [], max_age: 300 } });

    expect((await api('bob', 'POST', `/requests/${id}/verification`)).body.code).toBe('forbidden');
    const verified = await api('alice', 'POST', `/requests/${id}/verification`);
    expect(verified.status).toBe(200);
    expect(verified.body.request).toMatchObject({ status: 'approved', grant: { status: 'active' } });
    // Sent again, it issues nothing more.
    const again = await api('alice', 'POST', `/requests/${id}/verification`);
    expect(again.body.request.grant.id).toBe(verified.body.request.grant.id);

    const trail = await service.deps.store.listAudit(0, 1000);
    const review = trail.find((r) => r.type === 'review.recorded' && r.requestId === id);
    expect(review).toMatchObject({ actor: 'bob', data: { decision: 'approve', via: 'api', authentication: { acr: 'urn:elevate:dev:otp', amr: ['otp'], auth_time: expect.any(Number) } } });
    const verification = trail.find((r) => r.type === 'request.verified' && r.requestId === id);
    expect(verification).toMatchObject({ actor: 'alice', data: { amr: expect.arrayContaining(['otp']), auth_time: expect.any(Number) } });
    const token = await api('alice', 'POST', `/grants/${verified.body.request.grant.id}/token`);
    expect(await service.deps.issuer.introspect(token.body.access_token)).toMatchObject({ active: true, sub: 'alice', scope: 'db:admin' });
    expect(logs.text()).not.toContain(token.body.access_token);
  });
});
