import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/problems.ts';
import { startService, type RunningService } from '../../../src/main.ts';
import { freePort } from '../../support/free-port.ts';
import { LogCapture } from '../../support/log-capture.ts';

const CONFIG = `
admins: [erin]
principals:
  - { id: alice, slack: U0ALICE }
  - { id: bob, slack: U0BOB }
  - { id: erin }
scopes:
  - { name: prod-db-admin, description: DB admin, oauth_scope: db:admin, audience: https://db.example.com, max_duration: 2h, approvers: [bob] }
channels:
  - { platform: slack, channel: C0REVIEW, scopes: [prod-db-admin] }
`;

describe('the service', () => {
  const dirs: string[] = [];
  const running: RunningService[] = [];

  afterEach(async () => {
    await Promise.all(running.splice(0).map((service) => service.stop()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function dataDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'elevate-service-'));
    dirs.push(dir);
    return dir;
  }

  async function start(env: Record<string, string>, logs = new LogCapture()) {
    const port = await freePort();
    const service = await startService(
      { PORT: String(port), HOST: '127.0.0.1', ELEVATE_PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'info', ...env },
      { logDestination: logs },
    );
    running.push(service);
    return { service, logs };
  }

  it('starts on embedded defaults, answers health and readiness, publishes its JWKS and says what is on', async () => {
    const dir = dataDir();
    const { service, logs } = await start({ ELEVATE_DATA_DIR: dir });
    expect(await (await fetch(`${service.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(200);
    const jwks = (await (await fetch(`${service.url}/.well-known/jwks.json`)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) {
      expect(key.kid).toEqual(expect.any(String));
      for (const privateMember of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(key).not.toHaveProperty(privateMember);
    }
    const messages = logs.messages().join('\n');
    expect(messages).toMatch(/store: pglite/);
    expect(messages).toMatch(/listening on 127\.0\.0\.1:\d+ \(public URL http:\/\/127\.0\.0\.1:\d+\)/);
    expect(messages).toMatch(/embedded DEVELOPMENT authorization server/);
    expect(messages).toMatch(/slack: off — SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are not set/);
    expect(messages).toMatch(/teams: off — MicrosoftAppId is not set/);
    expect(await (await fetch(`${service.url}/nothing-here`)).json()).toMatchObject({ error: 'not_found' });
  });

  it('applies the config file at start-up, audited, and keeps all data across a restart', async () => {
    const dir = dataDir();
    const configFile = join(dir, 'elevate.yaml');
    writeFileSync(configFile, CONFIG);
    const first = await start({ ELEVATE_DATA_DIR: dir, ELEVATE_CONFIG: configFile });
    expect((await first.service.deps.store.listScopes()).map((s) => s.name)).toEqual(['prod-db-admin']);
    const auditBefore = await first.service.deps.store.listAudit(0, 1000);
    expect(auditBefore.at(-1)?.type).toBe('admin.config_applied');
    await first.service.stop();
    running.splice(running.indexOf(first.service), 1);

    const second = await start({ ELEVATE_DATA_DIR: dir, ELEVATE_CONFIG: configFile });
    expect((await second.service.deps.store.listScopes()).map((s) => s.name)).toEqual(['prod-db-admin']);
    // Same file again: nothing to apply, nothing new in the trail.
    expect(await second.service.deps.store.listAudit(0, 1000)).toEqual(auditBefore);
    expect(second.logs.messages().join('\n')).toMatch(/config file applied: 0 change/);
  });

  it('refuses to start on a bad configuration, naming every bad key', async () => {
    const dir = dataDir();
    const configFile = join(dir, 'elevate.yaml');
    writeFileSync(configFile, CONFIG.replace('max_duration: 2h', 'max_duration: 3d'));
    const error = await startService({ PORT: 'eighty', ELEVATE_DATA_DIR: dir, ELEVATE_CONFIG: configFile }, { logDestination: new LogCapture() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.key)).toEqual(['PORT', 'ELEVATE_CONFIG scopes[0].max_duration']);
  });

  it('refuses development-only defaults in production', async () => {
    const error = await startService({ NODE_ENV: 'production', PORT: '0', ELEVATE_DATA_DIR: dataDir() }, { logDestination: new LogCapture() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.key)).toEqual(expect.arrayContaining(['ELEVATE_ENCRYPTION_KEY', 'OAUTH_ISSUER', 'ELEVATE_SIGNING_KEYS_FILE']));
  });
});
