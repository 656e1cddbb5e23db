import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver } from '@slack/bolt';
import type { ChatDeps } from '../../app/chat/chat-deps.ts';
import type { SlackConfig } from '../../config/slack.ts';
import type { Clock } from '../../domain/clock.ts';
import { ElevateError } from '../../domain/errors.ts';
import { describeError } from '../../app/describe-error.ts';
import { FollowUpLanes, type FollowUpLanesOptions } from '../../shared/follow-up-lanes.ts';
import { ArrivalLull } from '../../shared/arrival-lull.ts';
import type { RateLimitWait } from '../../shared/rate-limit-lanes.ts';
import type { Logger } from '../../logging/logger.ts';
import { boltLogger } from './bolt-logger.ts';
import { rateLimitAwareFetch } from './rate-limits.ts';
import { registerGrantButtons } from './handlers/grant-buttons.ts';
import { registerBreakGlassButtons } from './handlers/break-glass-buttons.ts';
import type { SlackHandlerContext } from './handlers/handler-context.ts';
import { registerHomeTab } from './handlers/home-tab.ts';
import { registerRequestAgainButton } from './handlers/request-again-button.ts';
import { registerRequestForm } from './handlers/request-form.ts';
import { registerReviewButtons } from './handlers/review-buttons.ts';
import { registerSlashCommand } from './handlers/slash-command.ts';
import { createSlackFrontDoor, SLACK_EVENTS_PATH } from './http/front-door.ts';
import { ReplayGuard } from './http/replay-guard.ts';
import { resolveSlackActor } from './identity.ts';
import { SlackChatPlatform } from './slack-chat-platform.ts';

export { verifySlackSignature, signSlackRequest, MAX_REQUEST_AGE_SEC } from './http/verify-signature.ts';
export { SLACK_EVENTS_PATH } from './http/front-door.ts';
export { SlackChatPlatform } from './slack-chat-platform.ts';


export interface SlackAdapterOptions {
  config: SlackConfig;
  /** The core's dependencies and every configured chat platform (this one included, once registered). */
  deps: ChatDeps;
  logger: Logger;
  /** Judges request-signature age and remembers recent signatures; the system clock in production. */
  clock: Clock;
  /** Follow-ups at once and waiting, per lane (see `DEFAULT_FOLLOW_UP_LIMITS`). */
  workLimits?: FollowUpLanesOptions['limits'];
  /** Hears of every wait for a Slack 429 (metrics subscribe here); nothing by default. */
  onRateLimitWait?: (wait: RateLimitWait) => void;
}

export interface SlackAdapter {
  /** Register it in `deps.platforms`, so messages and notices reach Slack. */
  readonly platform: SlackChatPlatform;
  /** HTTP mode: mount on the one server (it serves `POST /slack/events`). Null in Socket Mode. */
  readonly mount: { prefix: '/slack'; handler: (req: IncomingMessage, res: ServerResponse) => void } | null;
  /** Checks the bot token (`auth.test`) and, in Socket Mode, connects. Fails on a bad token. */
  start(): Promise<void>;
  /** Disconnects (Socket Mode) and waits for follow-up work already started. */
  stop(): Promise<void>;
  /** Resolves when every follow-up started after an acknowledgement has finished (tests, shutdown). */
  idle(): Promise<void>;
}

/**
 * With 200 `/elevate` sent at once (`npm run bench:flow -- --scenario latency`, two cores), follow-ups
 * started as each command arrived made the last acknowledgements wait about twice as long as a Bolt
 * app's that only acknowledges (p99 ratio 1.56–2.41 in four runs); waiting for 20 ms without a Slack
 * request brought it to 0.99–1.74 in four runs beside them. Only a burst's first 500 ms are held
 * back: a stream of 600 commands in 8 s, held back 500 ms per follow-up, posted its last request
 * 51 s after it began. A lone command's follow-up starts about 20 ms later for it.
 */
const FOLLOW_UPS_WAIT_FOR_A_LULL = { quietMs: 20, maxWaitMs: 500 };

/**
 * The Slack adapter: Bolt in HTTP mode behind our own signature and replay check, or in Socket
 * Mode; the `/elevate` command, the approval buttons, the forms and the App Home, all of which
 * call the platform-neutral chat flows; and `SlackChatPlatform`, the `ChatPlatformPort` of Slack.
 */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { config, deps, clock } = options;
  const logger = options.logger.child({ component: 'slack' });
  const boltLog = boltLogger(logger);
  const clientOptions = {
    slackApiUrl: config.apiUrl,
    timeout: 10_000,
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 },
    // 429s are waited out per method and channel by our fetch (see rate-limits.ts); the client
    // must not also pause its whole queue for them.
    fetch: rateLimitAwareFetch({ logger, timeoutMs: 10_000, metrics: deps.metrics, ...(options.onRateLimitWait ? { onWait: options.onRateLimitWait } : {}) }),
    rejectRateLimitedCalls: true,
  };
  const receiver =
    config.mode === 'http'
      ? new HTTPReceiver({ signingSecret: config.signingSecret, endpoints: SLACK_EVENTS_PATH, logger: boltLog, processBeforeResponse: false })
      : undefined;
  const app = new App({
    token: config.botToken,
    logger: boltLog,
    clientOptions,
    deferInitialization: true,
    ...(receiver ? { receiver } : { socketMode: true, appToken: config.appToken ?? '' }),
  });
  app.error(async (error) => {
    logger.error({ err: { name: error.name, message: error.message, code: (error as { code?: string }).code } }, 'Bolt could not process a Slack request');
  });

  const platform = new SlackChatPlatform(app.client, config.command);
  // The bot's own workspace, asked once (a failed answer is asked again next time).
  let workspace: Promise<string | undefined> | null = null;
  const workspaceTeamId = () =>
    (workspace ??= app.client.auth.test().then(
      (answer) => answer.team_id,
      (error: unknown) => {
        workspace = null;
        throw error;
      },
    ));
  // Acknowledgements first: a new request's follow-up starts once Slack's requests pause (see ArrivalLull).
  const arrivals = new ArrivalLull(FOLLOW_UPS_WAIT_FOR_A_LULL);
  const work = new FollowUpLanes({
    name: 'slack',
    logger,
    requestsWaitFor: () => arrivals.whenQuiet(),
    ...(options.workLimits ? { limits: options.workLimits } : {}),
    onFailure: (error, label) => logger.error({ err: describeError(error), work: label }, 'Slack follow-up failed'),
  });
  const context: SlackHandlerContext = {
    deps,
    config,
    client: app.client,
    platform,
    work,
    logger,
    actorFor: (userId) => resolveSlackActor({ store: deps.store, client: app.client, emailLookup: config.emailLookup, userId, workspaceTeamId, logger }),
  };
  registerSlashCommand(app, context);
  registerReviewButtons(app, context);
  registerGrantButtons(app, context);
  registerRequestAgainButton(app, context);
  registerBreakGlassButtons(app, context);
  registerRequestForm(app, context);
  registerHomeTab(app, context);

  const frontDoor = receiver
    ? createSlackFrontDoor({
        signingSecret: config.signingSecret,
        clock,
        logger,
        replays: new ReplayGuard(clock),
        // Only a request Slack signed counts as an arrival: nobody else can hold follow-ups back.
        next: (req, res) => {
          arrivals.noteArrival();
          receiver.requestListener(req, res);
        },
      })
    : null;

  return {
    platform,
    mount: frontDoor ? { prefix: '/slack', handler: (req, res) => frontDoor(req, res) } : null,
    async start() {
      await app.init().catch((error: unknown) => {
        // Bolt checks the bot token with auth.test; say which setting Slack refused.
        const slackError = (error as { data?: { error?: unknown } }).data?.error;
        if (typeof slackError !== 'string') throw error;
        throw new ElevateError('config_invalid', `Slack refused SLACK_BOT_TOKEN (${slackError}); check the bot token and SLACK_API_URL.`, { cause: error });
      });
      if (config.mode === 'socket') await app.start();
      logger.info({ mode: config.mode, api: config.apiUrl }, config.mode === 'socket' ? 'slack: connected in Socket Mode' : `slack: listening at POST ${SLACK_EVENTS_PATH}`);
    },
    async stop() {
      if (config.mode === 'socket') await app.stop();
      await work.idle();
    },
    idle: () => work.idle(),
  };
}
