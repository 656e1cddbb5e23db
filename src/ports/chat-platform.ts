import type { Grant } from '../domain/grant.ts';
import type { ChatPlatform as ChatPlatformName, PostedMessage, Principal } from '../domain/principal.ts';
import type { ElevationRequest } from '../domain/request.ts';
import type { Review } from '../domain/review.ts';
import type { ScopeDefinition } from '../domain/scope.ts';

/**
 * Everything an approval message shows, in domain terms. Each chat adapter renders it its own
 * way (Block Kit, Adaptive Card); the core builds it once per change and hands the same view
 * to every platform, so a decision made on one platform shows up on the other.
 */
export interface RequestView {
  request: ElevationRequest;
  scope: ScopeDefinition;
  requester: Principal;
  reviews: Review[];
  /** Principals who may approve (the requester excluded). */
  eligibleApprovers: Principal[];
  grant: Grant | null;
  /** Display names of principals mentioned in reviews, by principal id. */
  names: Record<string, string>;
  /**
   * What approvers weigh a pending request by, computed from the store when an approval message
   * is built; absent or null in notices and once the request is decided.
   */
  context?: DecisionContext | null;
  /** For an extension: the grant it extends and what it would make of it; null for a new elevation. */
  extension: ExtensionView | null;
}

/** The facts reviewers weigh for an extension. */
export interface ExtensionView {
  /** The grant being extended, as it is now. */
  grant: Grant;
  /** Its end plus the extension: when the new grant ends. */
  endsAt: Date;
  /** From the elevation's first grant's start to `endsAt`, in seconds. */
  totalSec: number;
}

/** Context for the decision: facts from the store about this requester, this scope and now. */
export interface DecisionContext {
  /** No earlier request by this person for this scope. */
  firstRequestForScope: boolean;
  /** Earlier requests by this person for this scope in the 30 days before this one. */
  requestsLast30Days: number;
  /** Whole days from the requester's previous activity to this request; null: never seen before. */
  daysSinceLastSeen: number | null;
  /** The scope's usual hours (UTC) and whether the request came outside them; null: it defines none. */
  usualHours: { start: string; end: string; outside: boolean } | null;
  /** When the requester already holds this scope, until when. */
  requesterHoldsUntil: Date | null;
  /** Others holding this scope now: the first few by name (latest end first), and how many in all. */
  otherHolders: { shown: { principalId: string; displayName: string; endsAt: Date }[]; total: number };
  /** For an extension, the grant it extends (filled by extension requests; null otherwise). */
  extendsGrant: { grantId: string; endsAt: Date; totalSec: number } | null;
}

/** The one reminder of an undecided request, posted under its approval message. */
export interface ApprovalReminder {
  view: RequestView;
  /** Who may still decide, each with their user id on the platform it is posted on (null: none there). */
  approvers: { principal: Principal; userId: string | null }[];
}

/** A private notice to one person, worded by the adapter from its kind. */
export type PersonNotice =
  | { kind: 'request_submitted'; view: RequestView }
  | { kind: 'request_decided'; view: RequestView }
  | { kind: 'request_expired'; view: RequestView }
  | { kind: 'grant_issued'; view: RequestView }
  | { kind: 'grant_failed'; view: RequestView; reason: string }
  | { kind: 'grant_ended'; view: RequestView }
  /** The request is approved; the requester must verify (MFA) through the one-time link before the token is issued. */
  | { kind: 'verify_to_receive'; view: RequestView; link: StepUpLinkView }
  /** An approver's approval counts only after a fresh verification through the one-time link. */
  | { kind: 'verify_to_approve'; view: RequestView; link: StepUpLinkView };

/** A one-time step-up link: a secret for one person, sent to them privately and never to a channel. */
export interface StepUpLinkView {
  url: string;
  expiresAt: Date;
}

/**
 * What the core needs from one chat platform (Teleport's `MessagingBot`, in our terms).
 * Implemented by `src/adapters/slack` and `src/adapters/teams`; the core fans out to every
 * configured platform and stores the ids of what was posted.
 */
export interface ChatPlatformPort {
  readonly platform: ChatPlatformName;
  /** Posts the approval message in a reviewer channel; returns the id to update it by later. */
  postApprovalMessage(channelId: string, view: RequestView): Promise<{ messageId: string }>;
  /** Re-renders a posted approval message in place. */
  updateApprovalMessage(message: PostedMessage, view: RequestView): Promise<void>;
  /**
   * Replies under a posted approval message (a threaded reply on Slack, a reply to the card's
   * thread on Teams), leaving the message itself as it is.
   */
  postReminder(message: PostedMessage, reminder: ApprovalReminder): Promise<void>;
  /** Sends a private notice to a chat user of this platform (a DM). */
  notifyPerson(userId: string, notice: PersonNotice): Promise<void>;
}
