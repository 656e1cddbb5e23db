import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLoopback, readAuditStreamConfig } from '../../../src/config/audit-stream.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { ConfigError, type ConfigProblem } from '../../../src/config/problems.ts';

const SECRET = 's'.repeat(40);

function read(env: Record<string, string>): { config: ReturnType<typeof readAuditStreamConfig>; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  return { config: readAuditStreamConfig(env, problems), problems };
}

describe('audit stream configuration', () => {
  it('is off when AUDIT_WEBHOOK_URL is unset', () => {
    expect(read({})).toEqual({ config: null, problems: [] });
  });

  it('reads an https receiver with its secret and the defaults', () => {
    expect(read({ AUDIT_WEBHOOK_URL: 'https://siem.example.com/elevate', AUDIT_WEBHOOK_SECRET: SECRET })).toEqual({
      config: { url: 'https://siem.example.com/elevate', secret: SECRET, batchSize: 100, timeoutMs: 10_000, schedule: '*/5 * * * * *' },
      problems: [],
    });
  });

  it.each(['http://siem.example.com/elevate', 'http://10.0.0.5:8080/', 'http://127.0.0.1.nip.io/', 'http://[::ffff:10.0.0.1]/'])(
    'refuses plain http to %s, naming AUDIT_WEBHOOK_URL',
    (url) => {
      const { config, problems } = read({ AUDIT_WEBHOOK_URL: url, AUDIT_WEBHOOK_SECRET: SECRET });
      expect(config).toBeNull();
      expect(problems).toEqual([{ key: 'AUDIT_WEBHOOK_URL', message: expect.stringMatching(/^must be https: http is allowed only to a loopback address/) }]);
    },
  );

  it.each(['http://127.0.0.1:9999/hook', 'http://localhost:9999/hook', 'http://[::1]:9999/hook', 'http://127.10.0.1/'])('allows plain http to the loopback address in %s', (url) => {
    expect(read({ AUDIT_WEBHOOK_URL: url, AUDIT_WEBHOOK_SECRET: SECRET }).problems).toEqual([]);
  });

  it('refuses other schemes and text that is no URL', () => {
    expect(read({ AUDIT_WEBHOOK_URL: 'ftp://siem.example.com/', AUDIT_WEBHOOK_SECRET: SECRET }).problems).toEqual([{ key: 'AUDIT_WEBHOOK_URL', message: expect.stringMatching(/expected an https URL/) }]);
    expect(read({ AUDIT_WEBHOOK_URL: 'siem.example.com', AUDIT_WEBHOOK_SECRET: SECRET }).problems).toEqual([{ key: 'AUDIT_WEBHOOK_URL', message: expect.stringMatching(/expected an https URL/) }]);
  });

  it('requires the secret with the URL, and the URL with the secret', () => {
    expect(read({ AUDIT_WEBHOOK_URL: 'https://siem.example.com/' }).problems).toEqual([{ key: 'AUDIT_WEBHOOK_SECRET', message: expect.stringMatching(/^required when AUDIT_WEBHOOK_URL is set/) }]);
    expect(read({ AUDIT_WEBHOOK_SECRET: SECRET }).problems).toEqual([{ key: 'AUDIT_WEBHOOK_URL', message: expect.stringMatching(/^required when AUDIT_WEBHOOK_SECRET is set/) }]);
  });

  it('refuses a short secret without ever quoting it', () => {
    const { problems } = read({ AUDIT_WEBHOOK_URL: 'https://siem.example.com/', AUDIT_WEBHOOK_SECRET: 'hunter2-short' });
    expect(problems).toEqual([{ key: 'AUDIT_WEBHOOK_SECRET', message: expect.stringMatching(/at least 32 characters/) }]);
    expect(JSON.stringify(problems)).not.toContain('hunter2');
  });

  it('reads the secret from AUDIT_WEBHOOK_SECRET_FILE', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'elevate-audit-stream-')), 'secret');
    writeFileSync(file, `${SECRET}\n`);
    expect(read({ AUDIT_WEBHOOK_URL: 'https://siem.example.com/', AUDIT_WEBHOOK_SECRET_FILE: file }).config?.secret).toBe(SECRET);
  });

  it('names each bad tuning key', () => {
    const { problems } = read({
      AUDIT_WEBHOOK_URL: 'https://siem.example.com/',
      AUDIT_WEBHOOK_SECRET: SECRET,
      AUDIT_WEBHOOK_BATCH_SIZE: '0',
      AUDIT_WEBHOOK_TIMEOUT_MS: 'soon',
      AUDIT_WEBHOOK_SCHEDULE: '*/5 * * * *',
    });
    expect(problems.map((p) => p.key)).toEqual(['AUDIT_WEBHOOK_BATCH_SIZE', 'AUDIT_WEBHOOK_TIMEOUT_MS', 'AUDIT_WEBHOOK_SCHEDULE']);
  });

  it('stops the start with the bad key named among the others', () => {
    let error: unknown;
    try {
      loadConfig({ ELEVATE_DATA_DIR: '/tmp/elevate-audit-stream-config', AUDIT_WEBHOOK_URL: 'http://siem.example.com/', AUDIT_WEBHOOK_SECRET: SECRET });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/AUDIT_WEBHOOK_URL: must be https/);
    expect((error as ConfigError).message).not.toContain(SECRET);
  });

  it('knows loopback addresses from names that merely look like them', () => {
    expect(['localhost', '127.0.0.1', '[::1]', '127.255.0.9'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['localhost.example.com', '127.0.0.1.nip.io', '[::ffff:127.0.0.1]', '10.0.0.1', '0.0.0.0'].map(isLoopback)).toEqual([false, false, false, false, false]);
  });
});
