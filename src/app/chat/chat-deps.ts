import type { AuditKey } from '../../domain/audit.ts';
import type { AuthorizationServerReachability } from '../authorization-server-reachability.ts';
import type { GrantDeps } from '../deps.ts';
import type { ChatPlatforms } from './chat-platforms.ts';
import type { KeyedSerializer } from '../../shared/keyed-serializer.ts';
import type { MessageRefreshes } from './message-refreshes.ts';
import type { StepUpSettings } from '../step-up/step-up-settings.ts';

/** What the chat flows need: the core's dependencies and every configured chat platform. */
export interface ChatDeps extends GrantDeps {
  platforms: ChatPlatforms;
  /**
   * Serialises message refreshes per request, so an older view never overwrites a newer one, and
   * skips a refresh that would show what the message already shows.
   */
  refreshes: MessageRefreshes;
  /**
   * Orders the notices to one person about one request (see `notifyPrincipal`), so they arrive
   * in the order of the events: the request's confirmation before the notice of its decision.
   */
  notices: KeyedSerializer;
  /** Step-up sign-ins at the OpenID provider, for scopes that need MFA; absent, such scopes cannot issue. */
  stepUp?: StepUpSettings;
  /** The configured audit keys, newest first, so the dashboard can verify the chain; absent, keyed records do not verify. */
  auditKeys?: readonly AuditKey[];
  /** Whether the AS answers, for the dashboard's operations page; absent, the page says it is not checked. */
  authorizationServer?: AuthorizationServerReachability;
}
