import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMetricsConfig } from '../../../src/config/metrics.ts';
import type { ConfigProblem, Env } from '../../../src/config/problems.ts';

const SERVICE = { host: '0.0.0.0', port: 3000, production: false };

function read(env: Env, service = SERVICE): { config: ReturnType<typeof readMetricsConfig>; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  return { config: readMetricsConfig(env, problems, service), problems };
}

describe('metrics configuration', () => {
  it('is off by default', () => {
    expect(read({})).toEqual({ config: { enabled: false, port: null, host: '127.0.0.1', token: null }, problems: [] });
  });

  it('serves a separate listener on loopback in development and on HOST in production', () => {
    expect(read({ METRICS_PORT: '9464' }).config).toEqual({ enabled: true, port: 9464, host: '127.0.0.1', token: null });
    expect(read({ METRICS_PORT: '9464' }, { ...SERVICE, production: true }).config.host).toBe('0.0.0.0');
    expect(read({ METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5' }).config.host).toBe('10.0.0.5');
  });

  it('reads the bearer token from the environment or a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'elevate-metrics-config-'));
    writeFileSync(join(dir, 'token'), 'from-a-file-0123456789\n');
    expect(read({ METRICS_TOKEN: 'metrics-token-0123456789' }).config).toMatchObject({ enabled: true, port: null, token: 'metrics-token-0123456789' });
    expect(read({ METRICS_TOKEN_FILE: join(dir, 'token') }).config.token).toBe('from-a-file-0123456789');
  });

  it('names every bad key, without repeating the secret', () => {
    const { config, problems } = read({ METRICS_PORT: 'ninety', METRICS_TOKEN: 'short secret' });
    expect(config.enabled).toBe(false);
    expect(problems.map((p) => p.key)).toEqual(['METRICS_PORT', 'METRICS_TOKEN']);
    expect(JSON.stringify(problems)).not.toContain('short secret');
    expect(read({ METRICS_PORT: '70000' }).problems.map((p) => p.key)).toEqual(['METRICS_PORT']);
    expect(read({ METRICS_PORT: '3000' }).problems).toEqual([{ key: 'METRICS_PORT', message: expect.stringContaining('must differ from PORT') }]);
    expect(read({ METRICS_TOKEN: 'metrics-token-0123456789', METRICS_TOKEN_FILE: '/nowhere' }).problems.map((p) => p.key)).toEqual(['METRICS_TOKEN']);
  });
});
