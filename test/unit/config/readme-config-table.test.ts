import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_ENV_VARS } from '../../../src/config/api.ts';
import { AUDIT_STREAM_ENV_VARS } from '../../../src/config/audit-stream.ts';
import { DASHBOARD_ENV_VARS } from '../../../src/config/dashboard.ts';
import { SERVICE_ENV_VARS } from '../../../src/config/env.ts';
import { METRICS_ENV_VARS } from '../../../src/config/metrics.ts';
import { OAUTH_ENV_VARS } from '../../../src/config/oauth.ts';
import { SLACK_ENV_VARS } from '../../../src/config/slack.ts';
import { TEAMS_ENV_VARS } from '../../../src/config/teams.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('README configuration table', () => {
  it.each([...SERVICE_ENV_VARS, ...OAUTH_ENV_VARS, ...API_ENV_VARS, ...METRICS_ENV_VARS, ...SLACK_ENV_VARS, ...TEAMS_ENV_VARS, ...AUDIT_STREAM_ENV_VARS, ...DASHBOARD_ENV_VARS].map((v) => v.name))('documents %s', (name) => {
    expect(readme).toContain(`| \`${name}\``);
  });
});
