import type { ConfigProblem, Env } from './problems.ts';
import { readSlackConfig } from './slack.ts';
import { readTeamsConfig } from './teams.ts';

/** Whether a chat platform is switched on, and the sentence that says why (logged at start-up). */
export interface ChatAdapterStatus {
  platform: 'slack' | 'teams';
  enabled: boolean;
  reason: string;
}

/**
 * Reports what the environment asks of each chat platform, so an operator learns at start-up
 * which adapters are on and how to turn the others on. Problems in the Slack settings are
 * reported by `readSlackConfig` where the configuration is loaded; here they only mean "off".
 */
export function readChatStatus(env: Env): ChatAdapterStatus[] {
  const problems: ConfigProblem[] = [];
  const slack = readSlackConfig(env, problems);
  const teamsProblems: ConfigProblem[] = [];
  const teams = readTeamsConfig(env, teamsProblems);
  return [
    {
      platform: 'slack',
      enabled: slack !== null && problems.length === 0,
      reason:
        slack === null
          ? 'SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are not set (set both to receive /elevate at POST /slack/events; add SLACK_APP_TOKEN for Socket Mode)'
          : problems.length > 0
            ? `misconfigured: ${problems.map((p) => p.key).join(', ')}`
            : slack.mode === 'socket'
              ? 'Socket Mode (SLACK_APP_TOKEN set): no public URL needed'
              : 'HTTP mode at POST /slack/events',
    },
    {
      platform: 'teams',
      enabled: teams !== null && teamsProblems.length === 0,
      reason:
        teams === null
          ? 'MicrosoftAppId is not set (set MicrosoftAppId and MicrosoftAppPassword of the Azure Bot registration to receive activities at POST /api/messages)'
          : teamsProblems.length > 0
            ? `misconfigured: ${teamsProblems.map((p) => p.key).join(', ')}`
            : `Bot Framework at POST /api/messages as app ${teams.appId} (${teams.appType})`,
    },
  ];
}
