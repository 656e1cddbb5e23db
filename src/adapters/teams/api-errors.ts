import { RateLimitWaitExceededError } from '../../shared/rate-limit-lanes.ts';

/** The Bot Connector calls the Teams adapter makes: the `method` label of its metrics. */
export type TeamsMethodLabel = 'sendToConversation' | 'updateActivity';

/**
 * What went wrong with a Bot Connector call, as a closed list for metric labels: the HTTP status
 * class botbuilder surfaced, no known conversation, or the transport; `other` for the rest.
 */
export const TEAMS_ERROR_LABELS = [
  'no_conversation',
  'http_400',
  'http_401',
  'http_403',
  'http_404',
  'http_412',
  'http_413',
  'http_429',
  'http_5xx',
  'http_other',
  'network',
  'timeout',
  'rate_limit_wait_exceeded',
  'other',
] as const;
export type TeamsErrorLabel = (typeof TEAMS_ERROR_LABELS)[number];

const NAMED_STATUSES: ReadonlySet<number> = new Set([400, 401, 403, 404, 412, 413, 429]);
const NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);

export function teamsErrorLabel(error: unknown): TeamsErrorLabel {
  if (error instanceof RateLimitWaitExceededError) return 'rate_limit_wait_exceeded';
  if (error instanceof Error && error.name === 'NoConversationError') return 'no_conversation';
  const { statusCode, code, name } = (error ?? {}) as { statusCode?: unknown; code?: unknown; name?: unknown };
  if (typeof statusCode === 'number') {
    if (NAMED_STATUSES.has(statusCode)) return `http_${statusCode}` as TeamsErrorLabel;
    return statusCode >= 500 ? 'http_5xx' : 'http_other';
  }
  if (name === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return 'timeout';
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'network';
  return 'other';
}
