import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatDeps } from '../../app/chat/chat-deps.ts';
import { describeError } from '../../app/describe-error.ts';
import type { TeamsConfig } from '../../config/teams.ts';
import type { Clock } from '../../domain/clock.ts';
import type { Logger } from '../../logging/logger.ts';
import type { ConversationReferences } from '../../ports/conversation-references.ts';
import { createBotAuthentication } from './auth/bot-authentication.ts';
import { FollowUpLanes, type FollowUpLanesOptions } from '../../shared/follow-up-lanes.ts';
import type { RateLimitWait } from '../../shared/rate-limit-lanes.ts';
import { isElevateError } from '../../domain/errors.ts';
import type { TeamsHandlerContext } from './bot/handler-context.ts';
import { routeActivity } from './bot/route-activity.ts';
import { ElevateCloudAdapter } from './http/elevate-cloud-adapter.ts';
import { createTeamsFrontDoor, TEAMS_MESSAGES_PATH } from './http/front-door.ts';
import { TeamsChatPlatform } from './teams-chat-platform.ts';

export { TEAMS_MESSAGES_PATH } from './http/front-door.ts';
export { TeamsChatPlatform, NoConversationError } from './teams-chat-platform.ts';
export { teamsUserId } from './identity.ts';

export interface TeamsAdapterOptions {
  config: TeamsConfig;
  /** The core's dependencies and every configured chat platform (this one included, once registered). */
  deps: ChatDeps;
  logger: Logger;
  /** Token cache expiry of the bot's outbound token; the system clock in production. */
  clock: Clock;
  /** Where conversation references live: the store in production, so a restart keeps them. */
  references: ConversationReferences;
  /** Follow-ups at once and waiting, per lane (see `DEFAULT_FOLLOW_UP_LIMITS`). */
  workLimits?: FollowUpLanesOptions['limits'];
  /** Hears of every wait for a Bot Connector 429 (metrics subscribe here); nothing by default. */
  onRateLimitWait?: (wait: RateLimitWait) => void;
}

export interface TeamsAdapter {
  /** Register it in `deps.platforms`, so approval cards and notices reach Teams. */
  readonly platform: TeamsChatPlatform;
  /** Mount on the one server: it serves `POST /api/messages`. */
  readonly mount: { prefix: typeof TEAMS_MESSAGES_PATH; handler: (req: IncomingMessage, res: ServerResponse) => void };
  readonly references: ConversationReferences;
  start(): Promise<void>;
  /** Waits for follow-ups still running or queued (messages, decisions past their invoke's answer). */
  stop(): Promise<void>;
  idle(): Promise<void>;
}

/**
 * The Microsoft Teams adapter: botbuilder's CloudAdapter behind a front door that authenticates
 * every activity first (401 on any failure); the 1:1 commands, the approval card's
 * `Action.Execute` buttons, the token dialog and the channel admin commands, all of which call
 * the platform-neutral chat flows; and `TeamsChatPlatform`, the `ChatPlatformPort` of Teams.
 */
export function createTeamsAdapter(options: TeamsAdapterOptions): TeamsAdapter {
  const { config, deps, clock } = options;
  const logger = options.logger.child({ component: 'teams' });
  const authentication = createBotAuthentication(config, clock);
  const adapter = new ElevateCloudAdapter(authentication);
  adapter.onTurnError = async (_turn, error) => {
    logger.error({ err: describeError(error) }, 'teams: a turn failed');
    throw error;
  };
  const { references } = options;
  const platform = new TeamsChatPlatform({ adapter, appId: config.appId, references, logger, metrics: deps.metrics, ...(options.onRateLimitWait ? { onRateLimitWait: options.onRateLimitWait } : {}) });
  const work = new FollowUpLanes({
    name: 'teams',
    logger,
    ...(options.workLimits ? { limits: options.workLimits } : {}),
    // A refusal (self-approval, double click…) is answered to the clicker; it is not a failure.
    onFailure: (error, label) =>
      isElevateError(error) && error.code !== 'internal'
        ? logger.info({ code: error.code, work: label }, 'Teams action refused')
        : logger.error({ err: describeError(error), work: label }, 'Teams follow-up failed'),
  });
  const context: TeamsHandlerContext = { deps, config, platform, references, work, logger };
  const frontDoor = createTeamsFrontDoor({ authentication, adapter, logger, logic: routeActivity(context) });
  return {
    platform,
    references,
    mount: { prefix: TEAMS_MESSAGES_PATH, handler: (req, res) => frontDoor(req, res) },
    async start() {
      logger.info({ app_id: config.appId, app_type: config.appType, metadata: config.openIdMetadataUrl }, `teams: listening at POST ${TEAMS_MESSAGES_PATH}`);
      if (config.allowedTenants.length === 0) {
        logger.warn(
          { app_type: config.appType, alert: 'teams_any_tenant' },
          'teams: WARNING: MultiTenant bot without MicrosoftAppTenantId or TEAMS_ALLOWED_TENANTS: anyone who installs the bot in any Microsoft 365 tenant can reach it. Set TEAMS_ALLOWED_TENANTS (refused when NODE_ENV=production).',
        );
      }
    },
    stop: () => work.idle(),
    idle: () => work.idle(),
  };
}
