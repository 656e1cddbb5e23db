import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readServiceConfig } from '../../../src/config/env.ts';
import type { ConfigProblem } from '../../../src/config/problems.ts';

function read(env: Record<string, string>) {
  const problems: ConfigProblem[] = [];
  const config = readServiceConfig(env, problems);
  return { config, problems };
}

describe('service environment', () => {
  it('has working defaults for a laptop', () => {
    const { config, problems } = read({});
    expect(problems).toEqual([]);
    expect(config).toMatchObject({ port: 3000, host: '0.0.0.0', publicUrl: 'http://localhost:3000', databaseUrl: null, logLevel: 'info', production: false });
    expect(config.dataDir).toMatch(/\.elevate$/);
  });

  it('names every bad variable at once', () => {
    const { problems } = read({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', ELEVATE_PUBLIC_URL: 'ftp://x' });
    expect(problems.map((p) => p.key).sort()).toEqual(['DATABASE_URL', 'ELEVATE_PUBLIC_URL', 'LOG_LEVEL', 'PORT']);
    expect(problems.find((p) => p.key === 'LOG_LEVEL')?.message).toMatch(/expected one of fatal, error/);
  });

  it('requires an encryption key in production and never echoes a bad one', () => {
    expect(read({ NODE_ENV: 'production' }).problems).toContainEqual({ key: 'ELEVATE_ENCRYPTION_KEY', message: expect.stringMatching(/required when NODE_ENV=production/) });
    const { problems } = read({ ELEVATE_ENCRYPTION_KEY: 'c2hvcnQtc2VjcmV0' });
    expect(problems).toEqual([{ key: 'ELEVATE_ENCRYPTION_KEY', message: expect.stringMatching(/32 bytes/) }]);
    expect(JSON.stringify(problems)).not.toContain('c2hvcnQtc2VjcmV0');
  });

  it('reads secrets from *_FILE and refuses both forms at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'elevate-env-'));
    const file = join(dir, 'key');
    writeFileSync(file, `${Buffer.alloc(32, 3).toString('base64')}\n`);
    expect(read({ ELEVATE_ENCRYPTION_KEY_FILE: file }).config.encryptionKeys).toEqual([Buffer.alloc(32, 3)]);
    expect(read({ ELEVATE_ENCRYPTION_KEY_FILE: file, ELEVATE_ENCRYPTION_KEY: 'x' }).problems).toEqual([
      { key: 'ELEVATE_ENCRYPTION_KEY', message: 'set either ELEVATE_ENCRYPTION_KEY or ELEVATE_ENCRYPTION_KEY_FILE, not both' },
    ]);
    expect(read({ ELEVATE_ENCRYPTION_KEY_FILE: join(dir, 'missing') }).problems).toEqual([
      { key: 'ELEVATE_ENCRYPTION_KEY_FILE', message: expect.stringContaining('ENOENT') },
    ]);
  });
});

describe('sweep schedule', () => {
  it('defaults to every 5 seconds and rejects a schedule without seconds', () => {
    expect(read({}).config.sweepSchedule).toBe('*/5 * * * * *');
    expect(read({ SWEEP_SCHEDULE: '*/2 * * * * *' }).config.sweepSchedule).toBe('*/2 * * * * *');
    expect(read({ SWEEP_SCHEDULE: '* * * * *' }).problems).toEqual([{ key: 'SWEEP_SCHEDULE', message: expect.stringMatching(/six-field cron expression/) }]);
    expect(read({ SWEEP_SCHEDULE: 'often' }).problems.map((p) => p.key)).toEqual(['SWEEP_SCHEDULE']);
  });

  it('keeps 64 revocations in flight unless told otherwise, and refuses nonsense', () => {
    expect(read({}).config.sweepConcurrency).toBe(64);
    expect(read({ SWEEP_CONCURRENCY: '8' }).config.sweepConcurrency).toBe(8);
    expect(read({ SWEEP_CONCURRENCY: '0' }).problems).toEqual([{ key: 'SWEEP_CONCURRENCY', message: 'expected 1–1000' }]);
    expect(read({ SWEEP_CONCURRENCY: '2.5' }).problems).toEqual([{ key: 'SWEEP_CONCURRENCY', message: 'expected a whole number' }]);
    expect(read({ SWEEP_CONCURRENCY: 'lots' }).problems.map((p) => p.key)).toEqual(['SWEEP_CONCURRENCY']);
  });
});
