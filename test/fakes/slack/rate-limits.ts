/** At most `limit` calls per `windowMs` on one key (fixed windows, as Slack's per-minute tiers). */
export interface WindowLimit {
  limit: number;
  windowMs: number;
}

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

/**
 * Counts calls per key in fixed windows and says, for a call over the limit, how many whole
 * seconds remain until its window ends (Slack's `Retry-After` is whole seconds, at least 1).
 */
export class WindowCounter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts the call; returns `Retry-After` seconds when it is over `limit`, else `null`. */
  take(key: string, limit: WindowLimit): number | null {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= limit.windowMs) {
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    if (window.count >= limit.limit) return Math.max(1, Math.ceil((window.startedAt + limit.windowMs - now) / 1000));
    window.count += 1;
    return null;
  }
}
