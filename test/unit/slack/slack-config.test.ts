import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readChatStatus } from '../../../src/config/chat.ts';
import type { ConfigProblem } from '../../../src/config/problems.ts';
import { readSlackConfig, SLACK_ENV_VARS } from '../../../src/config/slack.ts';

function read(env: Record<string, string>) {
  const problems: ConfigProblem[] = [];
  return { config: readSlackConfig(env, problems), keys: problems.map((p) => p.key), problems };
}

const BASE = { SLACK_SIGNING_SECRET: 'signing-secret-value', SLACK_BOT_TOKEN: 'xoxb-1-2-bot' };

describe('readSlackConfig', () => {
  it('is off, without complaint, when nothing is set', () => {
    expect(read({})).toMatchObject({ config: null, keys: [] });
  });

  it('runs in HTTP mode with the signing secret and the bot token, on the public Web API', () => {
    const { config, keys } = read(BASE);
    expect(keys).toEqual([]);
    expect(config).toMatchObject({ mode: 'http', apiUrl: 'https://slack.com/api/', command: '/elevate', emailLookup: false, appToken: null });
    expect(config?.signingSecret).toBe('signing-secret-value');
  });

  it('switches to Socket Mode with an app token', () => {
    expect(read({ ...BASE, SLACK_APP_TOKEN: 'xapp-1-abc' }).config?.mode).toBe('socket');
  });

  it('never shows its secrets when serialised', () => {
    const text = JSON.stringify(read({ ...BASE, SLACK_APP_TOKEN: 'xapp-1-abc' }).config);
    for (const secret of ['signing-secret-value', 'xoxb-1-2-bot', 'xapp-1-abc']) expect(text).not.toContain(secret);
  });

  it('reads secrets from files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'elevate-slack-config-'));
    try {
      writeFileSync(join(dir, 'secret'), 'from-a-file\n');
      const { config, keys } = read({ SLACK_SIGNING_SECRET_FILE: join(dir, 'secret'), SLACK_BOT_TOKEN: 'xoxb-1' });
      expect(keys).toEqual([]);
      expect(config?.signingSecret).toBe('from-a-file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, ['SLACK_SIGNING_SECRET']],
    [{ SLACK_SIGNING_SECRET: 's' }, ['SLACK_BOT_TOKEN']],
    [{ ...BASE, SLACK_BOT_TOKEN: 'xoxp-user-token' }, ['SLACK_BOT_TOKEN']],
    [{ ...BASE, SLACK_APP_TOKEN: 'xoxb-not-an-app-token' }, ['SLACK_APP_TOKEN']],
    [{ SLACK_APP_TOKEN: 'xapp-1' }, ['SLACK_APP_TOKEN']],
    [{ ...BASE, SLACK_API_URL: 'http://slack.example.com/api' }, ['SLACK_API_URL']],
    [{ ...BASE, SLACK_API_URL: 'not a url' }, ['SLACK_API_URL']],
    [{ ...BASE, SLACK_COMMAND: 'elevate' }, ['SLACK_COMMAND']],
    [{ ...BASE, SLACK_IDENTITY_EMAIL_LOOKUP: 'maybe' }, ['SLACK_IDENTITY_EMAIL_LOOKUP']],
  ])('names every bad key: %j', (env, expected) => {
    expect(read(env as Record<string, string>).keys).toEqual(expected);
  });

  it('accepts a loopback Web API over http and adds the trailing slash', () => {
    expect(read({ ...BASE, SLACK_API_URL: 'http://127.0.0.1:9999/api' }).config?.apiUrl).toBe('http://127.0.0.1:9999/api/');
  });

  it('documents every variable it reads', () => {
    expect(SLACK_ENV_VARS.map((v) => v.name)).toEqual(['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_API_URL', 'SLACK_COMMAND', 'SLACK_IDENTITY_EMAIL_LOOKUP']);
  });
});

describe('readChatStatus', () => {
  it('reports Slack on in HTTP mode, and off with how to turn it on', () => {
    expect(readChatStatus(BASE)[0]).toMatchObject({ platform: 'slack', enabled: true, reason: 'HTTP mode at POST /slack/events' });
    expect(readChatStatus({})[0]).toMatchObject({ enabled: false, reason: expect.stringMatching(/^SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are not set/) });
    expect(readChatStatus({ SLACK_BOT_TOKEN: 'xoxb-1' })[0]).toMatchObject({ enabled: false, reason: 'misconfigured: SLACK_SIGNING_SECRET' });
  });
});
