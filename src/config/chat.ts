import { nonEmpty, type Env } from './problems.ts';

/** Whether a chat platform is switched on, and the sentence that says why (logged at start-up). */
export interface ChatAdapterStatus {
  platform: 'slack' | 'teams';
  enabled: boolean;
  reason: string;
}

/**
 * The chat adapters are not part of this version yet; this reports what the environment asks for
 * so that an operator who set credentials learns why nothing answers.
 */
export function readChatStatus(env: Env): ChatAdapterStatus[] {
  const slackSet = ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN'].filter((name) => nonEmpty(env[name]) !== undefined);
  const teamsSet = nonEmpty(env.MicrosoftAppId) !== undefined;
  return [
    {
      platform: 'slack',
      enabled: false,
      reason:
        slackSet.length > 0
          ? `${slackSet.join(' and ')} set, but this version has no Slack adapter yet; requests go through the CLI and API`
          : 'SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are not set',
    },
    {
      platform: 'teams',
      enabled: false,
      reason: teamsSet ? 'MicrosoftAppId set, but this version has no Teams adapter yet' : 'MicrosoftAppId is not set',
    },
  ];
}
