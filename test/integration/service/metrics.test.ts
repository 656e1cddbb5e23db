import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_ERROR_LABELS, SLACK_METHOD_LABELS } from '../../../src/adapters/slack/api-errors.ts';
import { startService, type RunningService } from '../../../src/main.ts';
import { FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack } from '../../fakes/slack/fake-slack-server.ts';
import { TEST_SIGNING_SECRET } from '../../fakes/slack/slack-sender.ts';
import { personToken, serviceAccountToken } from '../../support/dev-as-tokens.ts';
import { eventually } from '../../support/eventually.ts';
import { LogCapture } from '../../support/log-capture.ts';
import { loopbackServiceEnv } from '../../support/loopback-service-env.ts';
import { parsePrometheusText, valueOf, type Family } from '../../support/prometheus-text.ts';

const CONFIG = `
admins: [erin]
principals:
  - { id: alice, name: Alice, slack: UALICE }
  - { id: bob, name: Bob, slack: UBOB }
  - { id: erin, name: Erin, slack: UERIN }
  - { id: ci-deployer, name: CI deployer, kind: service }
scopes:
  - { name: deploy, description: Deploy to production, oauth_scope: deploy:prod, audience: https://deploy.example.com, max_duration: 1h, approvers: [bob, alice], requesters: [ci-deployer, alice] }
  - { name: quick-read, description: Read logs briefly, oauth_scope: logs:read, audience: https://logs.example.com, max_duration: 1h, approvers: [bob], requesters: [ci-deployer], policy: { auto_approve: true } }
  - { name: orphan, description: Reviewed in a channel the bot is not in, oauth_scope: orphan:x, audience: https://orphan.example.com, max_duration: 1h, approvers: [bob], requesters: [ci-deployer] }
channels:
  - { platform: slack, channel: C0REVIEW, scopes: [deploy, quick-read] }
  - { platform: slack, channel: C0GONE, scopes: [orphan] }
`;

/** For tests that start a whole service (embedded database and AS) or wait for its sweeper, which a loaded machine makes slow. */
const WHOLE_SERVICE_MS = 120_000;

/** Typed by people: none of it may ever become a label value or appear anywhere in a scrape. */
const REASON = 'zebra-reason-7781 rollout';
const TYPED_SCOPE = 'evil"scope{x}';

/**
 * The label values each `elevate_*` metric may carry: closed lists, and the scope names of the
 * configuration above.
 */
const SCOPES = ['deploy', 'quick-read', 'orphan', 'unknown'];
const ALLOWED: Record<string, Record<string, readonly string[]>> = {
  elevate_requests_total: { scope: SCOPES, source: ['slack', 'teams', 'api', 'cli'], outcome: ['review', 'auto_approved', 'auto_denied', 'refused', 'failed'] },
  elevate_decision_seconds: { outcome: ['approved', 'denied'] },
  elevate_grants_issued_total: { scope: SCOPES, outcome: ['issued', 'failed'] },
  elevate_grants_revoked_total: { reason: ['expired', 'ended_by_requester', 'revoked_by_reviewer', 'revoked_by_admin'] },
  elevate_revocation_lag_seconds: {},
  elevate_sweep_duration_seconds: {},
  elevate_oauth_request_seconds: {
    operation: ['discovery', 'exchange', 'revocation', 'introspection'],
    outcome: ['ok', 'network', 'timeout', 'server_error', 'rate_limited', 'malformed_response', 'error_response', 'unexpected_status', 'invalid_response', 'unsupported', 'other'],
  },
  elevate_chat_api_errors_total: { platform: ['slack', 'teams'], method: [...SLACK_METHOD_LABELS, 'sendToConversation', 'updateActivity', 'other'], error: [...SLACK_ERROR_LABELS] },
  elevate_chat_rate_limit_waits_total: { platform: ['slack', 'teams'], method: [...SLACK_METHOD_LABELS, 'sendToConversation', 'updateActivity', 'other'] },
  elevate_chat_rate_limit_wait_seconds_total: { platform: ['slack', 'teams'], method: [...SLACK_METHOD_LABELS, 'sendToConversation', 'updateActivity', 'other'] },
  elevate_audit_records_total: {},
  elevate_grants_active: { scope: SCOPES },
  elevate_revocations_pending: {},
  elevate_revocations_overdue: {},
  elevate_store_up: {},
};

function labelViolations(families: Map<string, Family>): string[] {
  const violations: string[] = [];
  for (const family of families.values()) {
    if (!family.name.startsWith('elevate_')) continue;
    const allowed = ALLOWED[family.name];
    if (!allowed) {
      violations.push(`${family.name}: not a known metric`);
      continue;
    }
    for (const sample of family.samples) {
      for (const [label, value] of Object.entries(sample.labels)) {
        if (label === 'le' && family.type === 'histogram') continue;
        if (!allowed[label]?.includes(value)) violations.push(`${sample.name}{${label}="${value}"}`);
      }
    }
  }
  return violations;
}

describe('metrics of the running service (METRICS_PORT)', () => {
  let service: RunningService;
  let fake: FakeSlack;
  let dir: string;
  const logs = new LogCapture();
  const tokens: Record<string, string> = {};

  async function scrape(): Promise<{ text: string; families: Map<string, Family> }> {
    const response = await fetch(`${service.metricsUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    return { text, families: parsePrometheusText(text) };
  }

  async function api(principal: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${service.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[principal]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-metrics-'));
    writeFileSync(join(dir, 'elevate.yaml'), CONFIG);
    fake = await startFakeSlack();
    fake.addChannel('C0REVIEW');
    service = await startService(
      {
        ...(await loopbackServiceEnv(dir)),
        METRICS_PORT: '0',
        SWEEP_SCHEDULE: '* * * * * *',
        ELEVATE_CONFIG: join(dir, 'elevate.yaml'),
        SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
        SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
        SLACK_API_URL: fake.apiUrl,
      },
      { logDestination: logs },
    );
    tokens['ci-deployer'] = await serviceAccountToken(service.url, dir, 'ci-deployer');
    tokens['bob'] = await personToken(service.url, dir, 'bob');
  });

  afterAll(async () => {
    await service?.stop();
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves /metrics on its own listener only, never on the public port', async () => {
    expect(service.metricsUrl).not.toBeNull();
    expect(service.metricsUrl).not.toBe(service.url);
    expect((await fetch(`${service.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${service.metricsUrl}/healthz`)).status).toBe(404);
  });

  it('parses as Prometheus text, with the process metrics of a registry of its own and every Elevate family declared', async () => {
    const { families } = await scrape();
    expect(families.get('process_cpu_user_seconds_total')?.type).toBe('counter');
    expect(families.get('nodejs_heap_size_used_bytes')?.type).toBe('gauge');
    for (const name of Object.keys(ALLOWED)) expect(families.has(name), name).toBe(true);
    expect(families.get('elevate_revocation_lag_seconds')?.type).toBe('histogram');
    expect(families.get('elevate_decision_seconds')?.type).toBe('histogram');
    expect(families.get('elevate_oauth_request_seconds')?.type).toBe('histogram');
    // Discovery of the embedded AS at start-up was timed.
    expect(valueOf(families, 'elevate_oauth_request_seconds_count', { operation: 'discovery', outcome: 'ok' })).toBe(1);
    // Buckets placed around the one-second sweep interval.
    const bounds = families.get('elevate_revocation_lag_seconds')!.samples.filter((s) => s.name.endsWith('_bucket')).map((s) => s.labels.le);
    expect(bounds).toEqual(expect.arrayContaining(['0.5', '1', '2', '5', '300', '+Inf']));
    expect(valueOf(families, 'elevate_store_up')).toBe(1);
  });

  it('moves each counter with the event it counts: request, decision, issue, revocation, audit', async () => {
    const before = (await scrape()).families;
    const created = await api('ci-deployer', 'POST', '/requests', { scope: 'deploy', duration: '15m', reason: REASON });
    expect(created.status).toBe(201);
    const id = created.body.request.id as string;

    let after = (await scrape()).families;
    expect(valueOf(after, 'elevate_requests_total', { scope: 'deploy', source: 'api', outcome: 'review' }) - valueOf(before, 'elevate_requests_total', { scope: 'deploy', source: 'api', outcome: 'review' })).toBe(1);
    expect(valueOf(after, 'elevate_audit_records_total')).toBeGreaterThan(valueOf(before, 'elevate_audit_records_total'));
    expect(valueOf(after, 'elevate_grants_active', { scope: 'deploy' })).toBe(0);

    const approved = await api('bob', 'POST', `/requests/${id}/approve`, {});
    expect(approved.status).toBe(200);
    const grantId = approved.body.request.grant.id as string;
    after = (await scrape()).families;
    expect(valueOf(after, 'elevate_decision_seconds_count', { outcome: 'approved' }) - valueOf(before, 'elevate_decision_seconds_count', { outcome: 'approved' })).toBe(1);
    expect(valueOf(after, 'elevate_grants_issued_total', { scope: 'deploy', outcome: 'issued' }) - valueOf(before, 'elevate_grants_issued_total', { scope: 'deploy', outcome: 'issued' })).toBe(1);
    expect(valueOf(after, 'elevate_oauth_request_seconds_count', { operation: 'exchange', outcome: 'ok' }) - valueOf(before, 'elevate_oauth_request_seconds_count', { operation: 'exchange', outcome: 'ok' })).toBe(1);
    // Read from the database at the scrape.
    expect(valueOf(after, 'elevate_grants_active', { scope: 'deploy' })).toBe(1);

    const ended = await api('ci-deployer', 'POST', `/grants/${grantId}/end`);
    expect(ended.body.grant.status).toBe('revoked');
    after = (await scrape()).families;
    expect(valueOf(after, 'elevate_grants_revoked_total', { reason: 'ended_by_requester' }) - valueOf(before, 'elevate_grants_revoked_total', { reason: 'ended_by_requester' })).toBe(1);
    // At least one call: a sweep running meanwhile may revoke the same `revoking` grant a second
    // time (harmless at the AS, and recorded once), since ending a grant early takes no lease on it.
    expect(valueOf(after, 'elevate_oauth_request_seconds_count', { operation: 'revocation', outcome: 'ok' }) - valueOf(before, 'elevate_oauth_request_seconds_count', { operation: 'revocation', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(after, 'elevate_grants_active', { scope: 'deploy' })).toBe(0);
    // An early end says nothing of the sweeper's lag.
    expect(valueOf(after, 'elevate_revocation_lag_seconds_count')).toBe(valueOf(before, 'elevate_revocation_lag_seconds_count'));
  });

  it('measures the revocation lag of a grant that expires, and the sweeps that revoke it', async () => {
    const before = (await scrape()).families;
    const created = await api('ci-deployer', 'POST', '/requests', { scope: 'quick-read', duration: '2s', reason: REASON });
    expect(created.status).toBe(201);
    let after = before;
    await eventually(async () => {
      after = (await scrape()).families;
      return valueOf(after, 'elevate_revocation_lag_seconds_count') > valueOf(before, 'elevate_revocation_lag_seconds_count');
    }, 4000);
    expect(valueOf(after, 'elevate_requests_total', { scope: 'quick-read', source: 'api', outcome: 'auto_approved' }) - valueOf(before, 'elevate_requests_total', { scope: 'quick-read', source: 'api', outcome: 'auto_approved' })).toBe(1);
    expect(valueOf(after, 'elevate_grants_revoked_total', { reason: 'expired' }) - valueOf(before, 'elevate_grants_revoked_total', { reason: 'expired' })).toBe(1);
    expect(valueOf(after, 'elevate_revocation_lag_seconds_count') - valueOf(before, 'elevate_revocation_lag_seconds_count')).toBe(1);
    expect(valueOf(after, 'elevate_sweep_duration_seconds_count')).toBeGreaterThan(0);
    expect(valueOf(after, 'elevate_revocations_pending')).toBe(0);
    expect(valueOf(after, 'elevate_revocations_overdue')).toBe(0);
  }, WHOLE_SERVICE_MS);

  it('counts failures: a refused request, and a chat API error by method and Slack error code', async () => {
    const before = (await scrape()).families;
    const unknown = await api('ci-deployer', 'POST', '/requests', { scope: TYPED_SCOPE, duration: '15m', reason: REASON });
    expect(unknown.status).toBeGreaterThanOrEqual(400);
    const tooLong = await api('ci-deployer', 'POST', '/requests', { scope: 'deploy', duration: '9h', reason: REASON });
    expect(tooLong.status).toBe(400);
    const orphan = await api('ci-deployer', 'POST', '/requests', { scope: 'orphan', duration: '15m', reason: REASON });
    expect(orphan.status).toBe(201);

    let after = before;
    const errors = { platform: 'slack', method: 'chat.postMessage', error: 'not_in_channel' };
    await eventually(async () => {
      after = (await scrape()).families;
      return valueOf(after, 'elevate_chat_api_errors_total', errors) > valueOf(before, 'elevate_chat_api_errors_total', errors);
    });
    expect(valueOf(after, 'elevate_requests_total', { scope: 'unknown', source: 'api', outcome: 'refused' }) - valueOf(before, 'elevate_requests_total', { scope: 'unknown', source: 'api', outcome: 'refused' })).toBe(1);
    expect(valueOf(after, 'elevate_requests_total', { scope: 'deploy', source: 'api', outcome: 'refused' }) - valueOf(before, 'elevate_requests_total', { scope: 'deploy', source: 'api', outcome: 'refused' })).toBe(1);
  });

  it('carries no label value outside the allowed sets, and nothing a person typed or a token', async () => {
    const { text, families } = await scrape();
    expect(labelViolations(families)).toEqual([]);
    expect(text).not.toContain('zebra');
    expect(text).not.toContain('evil');
    for (const token of Object.values(tokens)) expect(text).not.toContain(token);
    expect(text).not.toMatch(/req-|grant-|[0-9a-f]{8}-[0-9a-f]{4}-/);
  });
});

describe('/metrics on the public port', () => {
  async function startWith(extra: Record<string, string>): Promise<{ service: RunningService; dir: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'elevate-metrics-'));
    const service = await startService({ ...(await loopbackServiceEnv(dir)), ...extra }, { logDestination: new LogCapture() });
    return { service, dir };
  }

  it('is absent by default', async () => {
    const { service, dir } = await startWith({});
    try {
      expect(service.metricsUrl).toBeNull();
      const response = await fetch(`${service.url}/metrics`, { headers: { authorization: 'Bearer anything-at-all-here' } });
      expect(response.status).toBe(404);
    } finally {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, WHOLE_SERVICE_MS);

  it('answers only the configured bearer token when METRICS_TOKEN is set', async () => {
    const token = 'metrics-token-0123456789abcdef';
    const { service, dir } = await startWith({ METRICS_TOKEN: token });
    try {
      const none = await fetch(`${service.url}/metrics`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      expect(await none.text()).not.toContain('elevate_');
      for (const wrong of [`${token}x`, token.slice(0, -1), 'metrics-token-0123456789abcdeF']) {
        const refused = await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${wrong}` } });
        expect(refused.status).toBe(401);
        expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
      }
      const basic = await fetch(`${service.url}/metrics`, { headers: { authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` } });
      expect(basic.status).toBe(401);
      const accepted = await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(accepted.status).toBe(200);
      const families = parsePrometheusText(await accepted.text());
      expect(families.has('elevate_requests_total')).toBe(true);
      expect(valueOf(families, 'elevate_oauth_request_seconds_count', { operation: 'discovery', outcome: 'ok' })).toBe(1);
    } finally {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, WHOLE_SERVICE_MS);
});
