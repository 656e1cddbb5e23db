import type { webApi } from '@slack/bolt';

/** The Slack Web API client, through Bolt's re-export so the adapter depends on `@slack/bolt` only. */
export type WebClient = webApi.WebClient;
