import type { WindowLimit } from '../window-counter.ts';

export type { WindowLimit } from '../window-counter.ts';

export interface SlackRateLimits {
  /** Per method and workspace. A method missing here is not limited. */
  methods: Record<string, WindowLimit>;
  /** `chat.postMessage`'s special rule, per channel. */
  postMessagePerChannel: WindowLimit;
}

const MINUTE = 60_000;
const tier1: WindowLimit = { limit: 1, windowMs: MINUTE };
const tier3: WindowLimit = { limit: 50, windowMs: MINUTE };
const tier4: WindowLimit = { limit: 100, windowMs: MINUTE };

/**
 * Slack's documented limits for the methods Elevate calls (docs.slack.dev/apis/web-api/rate-limits:
 * Tier 1 1+/min, Tier 3 50+/min, Tier 4 100+/min, per method per workspace; `chat.postMessage`
 * "special": about one message per second per channel). The tiers are the lower bounds Slack
 * promises ("50+"), so a client that copes with these copes with Slack. `auth.test` is in
 * Slack's special tier with a generous allowance; it is modelled as Tier 4.
 */
export const SLACK_DOCUMENTED_LIMITS: SlackRateLimits = {
  methods: {
    'apps.connections.open': tier1,
    'chat.update': tier3,
    'conversations.open': tier3,
    'chat.postEphemeral': tier4,
    'views.open': tier4,
    'views.publish': tier4,
    'users.info': tier4,
    'auth.test': tier4,
  },
  postMessagePerChannel: { limit: 1, windowMs: 1_000 },
};

/** The documented limits with every window shrunk to `windowMs` (same counts), for fast tests. */
export function limitsWithWindow(windowMs: number, base: SlackRateLimits = SLACK_DOCUMENTED_LIMITS): SlackRateLimits {
  return {
    methods: Object.fromEntries(Object.entries(base.methods).map(([method, limit]) => [method, { ...limit, windowMs }])),
    postMessagePerChannel: { ...base.postMessagePerChannel, windowMs },
  };
}
