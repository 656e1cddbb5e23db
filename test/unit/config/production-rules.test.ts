import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.ts';
import { ConfigError, type ConfigProblem } from '../../../src/config/problems.ts';
import { readServiceConfig } from '../../../src/config/env.ts';
import { readTeamsConfig } from '../../../src/config/teams.ts';

const KEY = Buffer.alloc(32, 3).toString('base64');

function problemsOfLoading(env: Record<string, string>): ConfigProblem[] {
  try {
    loadConfig({ ELEVATE_DATA_DIR: '/tmp/elevate-production-rules', ...env });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
}

function serviceProblems(env: Record<string, string>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  readServiceConfig(env, problems);
  return problems;
}

describe('production means production', () => {
  it('refuses an http public URL, or none, when NODE_ENV=production', () => {
    const base = { NODE_ENV: 'production', ELEVATE_ENCRYPTION_KEY: KEY, ELEVATE_AUDIT_KEY: KEY };
    expect(serviceProblems({ ...base, ELEVATE_PUBLIC_URL: 'http://elevate.example.com' })).toEqual([
      { key: 'ELEVATE_PUBLIC_URL', message: expect.stringMatching(/^must be https when NODE_ENV=production: the authorization server fetches/) },
    ]);
    expect(serviceProblems(base)).toEqual([{ key: 'ELEVATE_PUBLIC_URL', message: expect.stringMatching(/^required when NODE_ENV=production/) }]);
    expect(serviceProblems({ ...base, ELEVATE_PUBLIC_URL: 'https://elevate.example.com' })).toEqual([]);
  });

  it('requires the audit key in production', () => {
    expect(serviceProblems({ NODE_ENV: 'production', ELEVATE_ENCRYPTION_KEY: KEY, ELEVATE_PUBLIC_URL: 'https://e.example' })).toEqual([
      { key: 'ELEVATE_AUDIT_KEY', message: expect.stringMatching(/required when NODE_ENV=production/) },
    ]);
    expect(serviceProblems({ ELEVATE_AUDIT_KEY: Buffer.alloc(16).toString('base64') })).toEqual([{ key: 'ELEVATE_AUDIT_KEY', message: expect.stringMatching(/at least 32 bytes/) }]);
  });

  it('refuses an unknown NODE_ENV instead of running it as development', () => {
    for (const value of ['prod', 'Production', 'staging']) {
      expect(serviceProblems({ NODE_ENV: value })).toEqual([{ key: 'NODE_ENV', message: expect.stringMatching(/^expected production, development, test/) }]);
    }
  });

  it('starts as development with no settings at all, as `npm start` in the README does', () => {
    expect(problemsOfLoading({})).toEqual([]);
  });

  it('refuses an unset NODE_ENV when the settings point beyond this machine and development defaults would be used', () => {
    const deployed = { DATABASE_URL: 'postgresql://elevate@db.internal.example:5432/elevate' };
    const [problem, ...others] = problemsOfLoading(deployed);
    expect(others).toEqual([]);
    expect(problem).toEqual({ key: 'NODE_ENV', message: expect.stringMatching(/^not set, while DATABASE_URL point beyond this machine/) });
    expect(problem!.message).toContain('token-encryption key generated');
    expect(problem!.message).toContain('embedded development authorization server');
    // Saying so explicitly accepts them; loopback settings are a laptop, not a deployment.
    expect(problemsOfLoading({ ...deployed, NODE_ENV: 'development' })).toEqual([]);
    expect(problemsOfLoading({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/elevate' })).toEqual([]);
  });

  it('refuses a multi-tenant Teams bot open to every tenant in production, and accepts an allow-list', () => {
    const teams = { MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppType: 'MultiTenant' };
    const read = (env: Record<string, string>, production: boolean) => {
      const problems: ConfigProblem[] = [];
      return { config: readTeamsConfig(env, problems, { production }), problems };
    };
    expect(read(teams, true).problems).toEqual([{ key: 'TEAMS_ALLOWED_TENANTS', message: expect.stringMatching(/^required when NODE_ENV=production for a MultiTenant bot/) }]);
    expect(read(teams, false).problems).toEqual([]);
    const listed = read({ ...teams, TEAMS_ALLOWED_TENANTS: '11111111-2222-4333-8444-555555555555, AAAAAAAA-2222-4333-8444-555555555555' }, true);
    expect(listed.problems).toEqual([]);
    expect(listed.config?.allowedTenants).toEqual(['11111111-2222-4333-8444-555555555555', 'aaaaaaaa-2222-4333-8444-555555555555']);
    expect(read({ ...teams, TEAMS_ALLOWED_TENANTS: 'contoso' }, false).problems).toEqual([{ key: 'TEAMS_ALLOWED_TENANTS', message: expect.stringMatching(/GUIDs/) }]);
    expect(read({ ...teams, MicrosoftAppTenantId: '11111111-2222-4333-8444-555555555555' }, true).problems).toEqual([]);
  });
});
