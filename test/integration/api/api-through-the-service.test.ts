import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/slack/render/action-ids.ts';
import { startService, type RunningService } from '../../../src/main.ts';
import { FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack } from '../../fakes/slack/fake-slack-server.ts';
import { buttonClick, SlackSender, TEST_SIGNING_SECRET } from '../../fakes/slack/slack-sender.ts';
import { personToken, serviceAccountToken } from '../../support/dev-as-tokens.ts';
import { eventually } from '../../support/eventually.ts';
import { LogCapture } from '../../support/log-capture.ts';
import { loopbackServiceEnv } from '../../support/loopback-service-env.ts';

const CONFIG = `
admins: [erin]
principals:
  - { id: alice, name: Alice, slack: UALICE }
  - { id: bob, name: Bob, slack: UBOB }
  - { id: erin, name: Erin, slack: UERIN }
  - { id: ci-deployer, name: CI deployer, kind: service }
scopes:
  - { name: prod-db-admin, description: Administer the production database, oauth_scope: db:admin, audience: https://db.example.com, max_duration: 2h, approvers: [bob], requesters: [alice, bob, erin], reason_pattern: "^[A-Z]+-[0-9]+" }
  - { name: deploy, description: Deploy to production, oauth_scope: deploy:prod, audience: https://deploy.example.com, max_duration: 1h, approvers: [bob, alice], requesters: [ci-deployer, alice], break_glass: { allowed: true, review_within: 4h } }
channels:
  - { platform: slack, channel: C0REVIEW, scopes: [prod-db-admin, deploy] }
`;

/**
 * The HTTP API of the whole service as `npm start` composes it — PGlite, the embedded development
 * AS issuing the API's bearer tokens (client credentials for the service account, the device flow
 * for people), the Slack adapter against the Slack Web API fake — over real HTTP.
 */
describe('the HTTP API through the running service', () => {
  let service: RunningService;
  let fake: FakeSlack;
  let dir: string;
  const logs = new LogCapture();
  const tokens: Record<string, string> = {};
  const secretsSeen: string[] = [];

  async function api(principal: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${service.url}/api/v1${path}`, {
      method,
      headers: {
        ...(principal ? { authorization: `Bearer ${tokens[principal]}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    // Tests read the answers loosely; their shapes are checked against the schemas elsewhere.
    const parsed: any = /^application\/(problem\+)?json\b/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text;
    return { status: response.status, headers: response.headers, body: parsed };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-api-'));
    writeFileSync(join(dir, 'elevate.yaml'), CONFIG);
    fake = await startFakeSlack();
    fake.addChannel('C0REVIEW');
    service = await startService(
      // 200 simultaneous retries below would meet the per-minute limit, which has a test of its own.
      { ...(await loopbackServiceEnv(dir)), ELEVATE_API_RATE_LIMIT: '10000', ELEVATE_CONFIG: join(dir, 'elevate.yaml'), SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, SLACK_BOT_TOKEN: FAKE_BOT_TOKEN, SLACK_API_URL: fake.apiUrl },
      { logDestination: logs },
    );
    tokens['ci-deployer'] = await serviceAccountToken(service.url, dir, 'ci-deployer');
    for (const person of ['alice', 'bob', 'erin']) tokens[person] = await personToken(service.url, dir, person);
    secretsSeen.push(...Object.values(tokens));
    // The people's TOTP secrets of the development login, and the service account's client secret.
    const totp = JSON.parse(readFileSync(join(dir, 'dev-totp-secrets.json'), 'utf8')) as Record<string, { secret: string }>;
    secretsSeen.push(...Object.values(totp).map((entry) => entry.secret));
    secretsSeen.push(...Object.values(JSON.parse(readFileSync(join(dir, 'dev-client-secrets.json'), 'utf8')) as Record<string, string>));
  });

  afterAll(async () => {
    await service?.stop();
    await fake?.close();
    // No bearer token, client secret, TOTP secret or issued access token ever reaches a log line.
    for (const secret of secretsSeen) expect(logs.text()).not.toContain(secret);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('takes a service account from request to token and back, with an approval through the API updating the Slack message', async () => {
    const created = await api('ci-deployer', 'POST', '/requests', { scope: 'deploy', duration: '15m', reason: 'release 2026.12.2' });
    expect(created.status).toBe(201);
    const request = created.body.request;
    expect(request).toMatchObject({ scope: 'deploy', requester: 'ci-deployer', requesterKind: 'service', status: 'pending', source: 'api', duration: '15m', eligibleApprovers: ['bob', 'alice'] });
    await eventually(async () => fake.callsTo('chat.postMessage').some((call) => JSON.stringify(call).includes(request.id)));
    const posted = JSON.stringify(fake.callsTo('chat.postMessage').find((call) => JSON.stringify(call).includes(request.id)));
    expect(posted).toContain('through the HTTP API');
    expect(posted).toContain('service account');

    const queue = await api('bob', 'GET', '/requests?status=pending&role=approver');
    expect(queue.body.requests.map((r: { id: string }) => r.id)).toContain(request.id);

    const waiting = api('ci-deployer', 'GET', `/requests/${request.id}?wait=30`);
    const updatesBefore = fake.callsTo('chat.update').length;
    const approved = await api('bob', 'POST', `/requests/${request.id}/approve`, { comment: 'go' });
    expect(approved.status).toBe(200);
    expect(approved.body.request).toMatchObject({ status: 'approved', approvals: ['bob'], grant: { status: 'active' } });
    expect((await waiting).body.request.status).toBe('approved');
    await eventually(async () => fake.callsTo('chat.update').length > updatesBefore);

    const grantId = approved.body.request.grant.id as string;
    const grants = await api('ci-deployer', 'GET', '/grants?status=active');
    expect(grants.body.grants).toEqual([expect.objectContaining({ id: grantId, scope: 'deploy', status: 'active' })]);

    // Only the requester ever sees the token: not the approver, not an admin, not another requester.
    for (const other of ['bob', 'erin', 'alice']) expect((await api(other, 'POST', `/grants/${grantId}/token`)).body.code).toBe('forbidden');
    const token = await api('ci-deployer', 'POST', `/grants/${grantId}/token`);
    expect(token.status).toBe(200);
    expect(token.headers.get('cache-control')).toBe('no-store');
    const accessToken = token.body.access_token as string;
    secretsSeen.push(accessToken);
    expect(token.body).toMatchObject({ grant_id: grantId, scope: 'deploy:prod', audience: 'https://deploy.example.com' });
    expect(await service.deps.issuer.introspect(accessToken)).toMatchObject({ active: true, sub: 'ci-deployer', scope: 'deploy:prod', aud: 'https://deploy.example.com' });
    expect(fake.rawBodies.join('\n')).not.toContain(accessToken);

    // The elevated token is a token for the deploy audience, not a key to the API.
    const misused = await fetch(`${service.url}/api/v1/scopes`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(misused.status).toBe(401);
    expect(misused.headers.get('www-authenticate')).toContain('error="invalid_token"');

    const ended = await api('ci-deployer', 'POST', `/grants/${grantId}/end`);
    expect(ended.body.grant).toMatchObject({ id: grantId, status: 'revoked', endReason: 'ended_by_requester' });
    expect(await service.deps.issuer.introspect(accessToken)).toEqual({ active: false });
    expect((await api('ci-deployer', 'POST', `/grants/${grantId}/token`)).status).toBe(409);

    const audit = await api('erin', 'GET', '/audit');
    expect(audit.headers.get('content-type')).toContain('application/x-ndjson');
    const events = String(audit.body).trim().split('\n').map((line) => JSON.parse(line) as { type: string; requestId?: string; data: Record<string, unknown> });
    const mine = events.filter((e) => e.requestId === request.id).map((e) => e.type);
    expect(mine).toEqual(expect.arrayContaining(['request.created', 'review.recorded', 'request.approved', 'grant.issued', 'grant.delivered', 'grant.revoked']));
    expect(events.find((e) => e.requestId === request.id && e.type === 'review.recorded')?.data).toMatchObject({ via: 'api' });
    expect(String(audit.body)).not.toContain(accessToken);
  });

  it('extends a grant through the API: only its holder may ask, the extension is reviewed, and the old token gives way to the new one', async () => {
    const created = await api('ci-deployer', 'POST', '/requests', { scope: 'deploy', duration: '15m', reason: 'release 2026.12.3' });
    const approved = await api('bob', 'POST', `/requests/${created.body.request.id}/approve`, {});
    const grantId = approved.body.request.grant.id as string;
    const oldToken = (await api('ci-deployer', 'POST', `/grants/${grantId}/token`)).body.access_token as string;
    secretsSeen.push(oldToken);

    expect((await api('alice', 'POST', `/grants/${grantId}/extensions`, { duration: '15m' })).body.code).toBe('forbidden');
    expect((await api('ci-deployer', 'POST', `/grants/${grantId}/extensions`, { duration: '1h' })).body.code).toBe('duration_too_long');
    const asked = await api('ci-deployer', 'POST', `/grants/${grantId}/extensions`, { duration: '15m', reason: 'release 2026.12.3 rollback window' });
    expect(asked.status).toBe(201);
    expect(asked.body.request).toMatchObject({ status: 'pending', extendsGrantId: grantId, duration: '15m', reason: 'release 2026.12.3 rollback window' });
    expect((await api('ci-deployer', 'POST', `/grants/${grantId}/extensions`, { duration: '15m' })).body.code).toBe('extension_pending');
    await eventually(async () => fake.callsTo('chat.postMessage').some((call) => JSON.stringify(call).includes(asked.body.request.id)));
    expect(JSON.stringify(fake.callsTo('chat.postMessage').find((call) => JSON.stringify(call).includes(asked.body.request.id)))).toContain(`Extends grant`);

    const extended = await api('bob', 'POST', `/requests/${asked.body.request.id}/approve`, {});
    expect(extended.body.request.grant).toMatchObject({ status: 'active' });
    const newGrantId = extended.body.request.grant.id as string;
    const newToken = (await api('ci-deployer', 'POST', `/grants/${newGrantId}/token`)).body.access_token as string;
    secretsSeen.push(newToken);
    expect(await service.deps.issuer.introspect(oldToken)).toEqual({ active: false });
    expect(await service.deps.issuer.introspect(newToken)).toMatchObject({ active: true, sub: 'ci-deployer' });
    expect((await api('ci-deployer', 'POST', `/grants/${grantId}/token`)).status).toBe(409);
    const grants = (await api('ci-deployer', 'GET', '/grants')).body.grants as { id: string; endReason: string | null }[];
    expect(grants.find((g) => g.id === grantId)?.endReason).toBe('extended');
    await api('ci-deployer', 'POST', `/grants/${newGrantId}/end`);
  });

  it('takes break-glass through the API: refused without a reason or where the scope does not allow it, reviewed by an approver but never its requester', async () => {
    expect((await api('ci-deployer', 'POST', '/break-glass', { scope: 'deploy', duration: '15m' })).body.code).toBe('invalid_input');
    expect((await api('alice', 'POST', '/break-glass', { scope: 'prod-db-admin', duration: '15m', reason: 'INC-1 down' })).body.code).toBe('break_glass_not_allowed');
    const taken = await api('ci-deployer', 'POST', '/break-glass', { scope: 'deploy', duration: '15m', reason: 'release 2026.12.4 hotfix, pipeline on fire' });
    expect(taken.status).toBe(201);
    expect(taken.body.request).toMatchObject({ status: 'auto_approved', grant: { status: 'active' }, breakGlass: { reviewedAt: null, verdict: null } });
    const id = taken.body.request.id as string;
    await eventually(async () => fake.callsTo('chat.postMessage').some((call) => JSON.stringify(call).includes(id) && JSON.stringify(call).includes('BREAK-GLASS')));

    expect((await api('ci-deployer', 'POST', `/requests/${id}/acknowledge`, {})).body.code).toBe('self_approval');
    expect((await api('erin', 'POST', `/requests/${id}/acknowledge`, {})).body.code).toBe('not_an_approver');
    const flagged = await api('bob', 'POST', `/requests/${id}/flag`, { note: 'no change ticket' });
    expect(flagged.status).toBe(200);
    expect(flagged.body.request.breakGlass).toMatchObject({ verdict: 'flagged', reviewedBy: 'bob', note: 'no change ticket' });
    expect((await api('alice', 'POST', `/requests/${id}/acknowledge`, {})).body.code).toBe('already_reviewed');
    await api('ci-deployer', 'POST', `/grants/${taken.body.request.grant.id}/end`);
  });

  it('shows a Slack approval of an API request at once to a waiting caller', async () => {
    const created = await api('ci-deployer', 'POST', '/requests', { scope: 'deploy', reason: 'hotfix 7' });
    const id = created.body.request.id as string;
    await eventually(async () => (await service.deps.store.listPostedMessages(id)).length === 1);
    // A long poll waits for a change from what its first read saw: the click goes once that read
    // is surely done (an approval quicker than it would leave the poll waiting out its 20 s).
    const waiting = api('ci-deployer', 'GET', `/requests/${id}?wait=20`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const sender = new SlackSender(`${service.url}/slack/events`);
    await sender.interaction(buttonClick({ userId: 'UBOB', actionId: ACTIONS.approve, value: id, channelId: 'C0REVIEW', triggerId: fake.triggerId(), responseUrl: fake.responseUrl() }));
    const seen = await waiting;
    expect(seen.body.request.status).toBe('approved');
    expect(seen.body.request.approvals).toEqual(['bob']);
  });

  it('lists only the scopes the caller may request, with the policy in words', async () => {
    const forService = await api('ci-deployer', 'GET', '/scopes');
    expect(forService.body.scopes.map((s: { name: string }) => s.name)).toEqual(['deploy']);
    const forBob = await api('bob', 'GET', '/scopes');
    expect(forBob.body.scopes.map((s: { name: string }) => s.name)).toEqual(['prod-db-admin']);
    expect(forBob.body.scopes[0].policy).toEqual(expect.arrayContaining([expect.stringContaining('must match ^[A-Z]+-[0-9]+')]));
  });

  it('refuses with the chat rules and says why in a problem document', async () => {
    const own = await api('alice', 'POST', '/requests', { scope: 'deploy', reason: 'my own change' });
    const id = own.body.request.id as string;
    const self = await api('alice', 'POST', `/requests/${id}/approve`);
    expect(self).toMatchObject({ status: 403, body: { type: 'urn:elevate:problem:self_approval', code: 'self_approval', status: 403 } });
    expect(self.headers.get('content-type')).toBe('application/problem+json');
    expect((await api('erin', 'POST', `/requests/${id}/approve`)).body.code).toBe('not_an_approver');
    expect((await api('ci-deployer', 'GET', `/requests/${id}`)).status).toBe(404);
    expect((await api('bob', 'POST', `/requests/${id}/deny`, {})).body).toMatchObject({ code: 'invalid_input', errors: [{ field: 'reason' }] });
    expect((await api('bob', 'POST', `/requests/${id}/deny`, { reason: 'not today' })).body.request).toMatchObject({ status: 'denied', decisionNote: 'not today' });
    expect((await api('bob', 'POST', `/requests/${id}/approve`)).body.code).toBe('already_decided');

    const mismatch = await api('alice', 'POST', '/requests', { scope: 'prod-db-admin', reason: 'no ticket' });
    expect(mismatch.body).toMatchObject({ status: 400, code: 'reason_mismatch', detail: expect.stringContaining('must match') });
    expect((await api('alice', 'POST', '/requests', { scope: 'prod-db-admin', reason: 'INC-1', duration: '9h' })).body.code).toBe('duration_too_long');
    expect((await api('ci-deployer', 'POST', '/requests', { scope: 'prod-db-admin', reason: 'INC-2' })).body.code).toBe('not_allowed_to_request');
    expect((await api('alice', 'GET', '/audit')).body.code).toBe('forbidden');
  });

  it('keeps one request for one Idempotency-Key, however many times it arrives at once', async () => {
    const body = { scope: 'prod-db-admin', duration: '30m', reason: 'INC-77 disk full' };
    const answers = await Promise.all(Array.from({ length: 200 }, () => api('alice', 'POST', '/requests', body, { 'idempotency-key': 'retry-incident-77' })));
    expect(answers.every((a) => a.status === 201)).toBe(true);
    expect(new Set(answers.map((a) => a.body.request.id)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(199);
    const stored = (await service.deps.store.listRequests({ requesterId: 'alice' })).filter((r) => r.reason === body.reason);
    expect(stored).toHaveLength(1);
    const reused = await api('alice', 'POST', '/requests', { ...body, reason: 'INC-78 something else' }, { 'idempotency-key': 'retry-incident-77' });
    expect(reused).toMatchObject({ status: 422, body: { code: 'idempotency_key_reused' } });
  });

  it('refuses bad bearer tokens with invalid_token and nothing else', async () => {
    const none = await fetch(`${service.url}/api/v1/scopes`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${service.config.service.publicUrl}/.well-known/oauth-protected-resource"`);
    const jwt = tokens['alice']!;
    const [header, payload] = jwt.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'erin' })).toString('base64url')}.${jwt.split('.')[2]}`;
    for (const bad of ['garbage', 'a.b.c', forged, `${jwt}x`]) {
      const answer = await fetch(`${service.url}/api/v1/scopes`, { headers: { authorization: `Bearer ${bad}` } });
      expect(answer.status, bad.slice(0, 20)).toBe(401);
      expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect(((await answer.json()) as { detail: string }).detail).toBe('The access token is not valid for this API.');
    }
    expect((await fetch(`${service.url}/api/v1/scopes`, { headers: { authorization: `Basic ${Buffer.from('alice:x').toString('base64')}` } })).status).toBe(401);
  });

  it('checks bodies: JSON only, 16 KiB at most, no unknown fields, and a refused body never breaks the connection', async () => {
    const wrongType = await fetch(`${service.url}/api/v1/requests`, { method: 'POST', headers: { authorization: `Bearer ${tokens['alice']}`, 'content-type': 'text/plain' }, body: 'scope=deploy' });
    expect(wrongType.status).toBe(415);
    const unknown = await api('alice', 'POST', '/requests', { scope: 'deploy', reason: 'x', approvers: ['alice'] });
    expect(unknown.body).toMatchObject({ status: 400, errors: [{ field: 'approvers' }] });

    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (body: string) =>
      new Promise<{ status: number; connection: string | undefined; text: string }>((resolve, reject) => {
        const req = httpRequest(`${service.url}/api/v1/requests`, { method: 'POST', agent, headers: { authorization: `Bearer ${tokens['alice']}`, 'content-type': 'application/json' } }, (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, text }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const huge = await send(JSON.stringify({ scope: 'deploy', reason: 'x'.repeat(200_000) }));
    expect(huge.status).toBe(413);
    expect(huge.connection).toBe('close');
    const next = await send(JSON.stringify({ scope: 'deploy', reason: 'after the big one' }));
    expect(next.status).toBe(201);
    agent.destroy();
  });

  it('serves its OpenAPI document and its protected resource metadata without a token', async () => {
    const openApi = (await (await fetch(`${service.url}/api/v1/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(openApi.openapi).toBe('3.1.0');
    expect(Object.keys(openApi.paths)).toEqual(expect.arrayContaining(['/requests', '/requests/{id}/approve', '/grants/{id}/token']));
    const metadata = (await (await fetch(`${service.url}/.well-known/oauth-protected-resource`)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({ resource: `${service.config.service.publicUrl}/api`, authorization_servers: [`${service.config.service.publicUrl}/oauth`], elevate_cli_client_id: 'elevate-cli' });
  });
});

describe('the API rate limit through the running service', () => {
  it('answers 429 with Retry-After once a principal has used its calls for the minute', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'elevate-api-limit-'));
    writeFileSync(join(dir, 'elevate.yaml'), CONFIG);
    const service = await startService({ ...(await loopbackServiceEnv(dir)), ELEVATE_CONFIG: join(dir, 'elevate.yaml'), ELEVATE_API_RATE_LIMIT: '5' }, { logDestination: new LogCapture() });
    try {
      const token = await serviceAccountToken(service.url, dir, 'ci-deployer');
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 6; i++) {
        const answer = await fetch(`${service.url}/api/v1/scopes`, { headers: { authorization: `Bearer ${token}` } });
        statuses.push(answer.status);
        retryAfter ??= answer.headers.get('retry-after');
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    } finally {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
