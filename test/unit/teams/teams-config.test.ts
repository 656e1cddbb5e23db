import { describe, expect, it } from 'vitest';
import { readChatStatus } from '../../../src/config/chat.ts';
import { botFrameworkSettings, readTeamsConfig, TEAMS_ENV_VARS } from '../../../src/config/teams.ts';

const read = (env: Record<string, string>) => {
  const problems: { key: string; message: string }[] = [];
  return { config: readTeamsConfig(env, problems), problems };
};

describe('Teams configuration', () => {
  it('is off, and says so, without MicrosoftAppId', () => {
    expect(read({}).config).toBeNull();
    expect(readChatStatus({}).find((s) => s.platform === 'teams')).toEqual(expect.objectContaining({ enabled: false, reason: expect.stringMatching(/MicrosoftAppId is not set/) }));
  });

  it('is on with an app id and password, and never shows the password when serialised', () => {
    const { config, problems } = read({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw-secret' });
    expect(problems).toEqual([]);
    expect(config?.appPassword).toBe('pw-secret');
    expect(JSON.stringify(config)).not.toContain('pw-secret');
    expect(readChatStatus({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw' }).find((s) => s.platform === 'teams')?.enabled).toBe(true);
  });

  it('names every missing or bad key', () => {
    const { problems } = read({ MicrosoftAppId: 'app', MicrosoftAppType: 'SingleTenant', ToBotFromChannelOpenIdMetadataUrl: 'http://evil.example/x', TEAMS_REQUEST_TIMEOUT_MS: '60000' });
    expect(problems.map((p) => p.key).sort()).toEqual(['MicrosoftAppPassword', 'MicrosoftAppTenantId', 'TEAMS_REQUEST_TIMEOUT_MS', 'ToBotFromChannelOpenIdMetadataUrl']);
    expect(read({ MicrosoftAppId: 'a', MicrosoftAppPassword: 'b', MicrosoftAppType: 'UserAssignedMSI' }).problems[0]?.message).toMatch(/managed identities are not supported/);
  });

  it('gets a SingleTenant bot its token from its tenant, and passes botbuilder its own setting names', () => {
    const { config } = read({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 'tid' });
    expect(botFrameworkSettings(config!)).toEqual(
      expect.objectContaining({ MicrosoftAppId: 'app', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 'tid', ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/tid' }),
    );
    expect(JSON.stringify(botFrameworkSettings(config!))).not.toContain('pw');
  });

  it('documents every variable it reads', () => {
    expect(TEAMS_ENV_VARS.map((v) => v.name)).toEqual(expect.arrayContaining(['MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppType', 'MicrosoftAppTenantId', 'ToBotFromChannelOpenIdMetadataUrl', 'ToChannelFromBotLoginUrl']));
  });
});
