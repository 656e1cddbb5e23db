import type { GrantEndReason } from '../domain/grant.ts';
import type { ChatPlatform } from '../domain/principal.ts';
import type { RequestSource } from '../domain/request.ts';

/**
 * What became of a request submitted by a person or a script: stored and sent to review, decided
 * by policy at once, refused before anything was stored (bad input, not allowed, no reviewer
 * channel), or failed (the database or a bug). The `outcome` label of `elevate_requests_total`.
 */
export type RequestOutcome = 'review' | 'auto_approved' | 'auto_denied' | 'refused' | 'failed';

/** A reviewer's decision that settled a request. */
export type DecisionOutcome = 'approved' | 'denied';

/** How a token exchange for an approved request ended. */
export type IssueOutcome = 'issued' | 'failed';

/** The calls Elevate makes to the authorization server. */
export type OAuthCallOperation = 'discovery' | 'exchange' | 'revocation' | 'introspection';

/**
 * How a call to the authorization server ended: `ok`, or why it failed as the OAuth client
 * classifies it (network, timeout, 5xx, 429, an OAuth `error` answer, …); `other` for anything
 * else, so a label value never comes from the AS's own text.
 */
export type OAuthCallOutcome =
  | 'ok'
  | 'network'
  | 'timeout'
  | 'server_error'
  | 'rate_limited'
  | 'malformed_response'
  | 'error_response'
  | 'unexpected_status'
  | 'invalid_response'
  | 'unsupported'
  | 'other';

/**
 * What the core and the adapters report for the operators' metrics, as domain events. Every
 * label value an implementation receives comes from a closed list above, from a chat adapter's
 * own closed lists (methods and error classes), or from admin configuration (scope names): never
 * from what a person typed, a token or an id. Implemented by the Prometheus adapter
 * (`src/adapters/metrics`); `noMetrics` (`src/app/no-metrics.ts`) everywhere else, so nothing needs one.
 *
 * Counters and histograms count this instance's events; what describes the database (active
 * grants, revocations pending or overdue) is read from the store when scraped, not counted here.
 */
export interface Metrics {
  /** A request was submitted (not a dry run, not an idempotent replay). `scope` is a configured scope's name, or `unknown`. */
  requestSubmitted(scope: string, source: RequestSource, outcome: RequestOutcome): void;
  /** A reviewer's decision settled a request `seconds` after it was made. */
  decided(outcome: DecisionOutcome, seconds: number): void;
  /** A token exchange for an approved request ended. */
  grantIssued(scope: string, outcome: IssueOutcome): void;
  /**
   * The AS confirmed a grant's revocation. `lagSeconds` is confirmation minus the grant's end: the
   * revocation lag for grants that expired, negative for grants ended early.
   */
  grantRevoked(reason: GrantEndReason, lagSeconds: number): void;
  /** One run of the sweeper took this long (whether or not it failed). */
  sweepFinished(seconds: number): void;
  /** One call to the authorization server, and how long it took. */
  oauthCall(operation: OAuthCallOperation, outcome: OAuthCallOutcome, seconds: number): void;
  /** A chat platform's Web API refused or failed a call; `method` and `error` come from the adapter's closed lists. */
  chatApiError(platform: ChatPlatform, method: string, error: string): void;
  /** A chat platform's rate limit held a call back for `seconds` before it was sent again. */
  chatRateLimitWait(platform: ChatPlatform, method: string, seconds: number): void;
  /** `count` audit records were committed to the trail. */
  auditAppended(count: number): void;
}
