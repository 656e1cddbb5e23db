/**
 * The closed lists metric labels of the Slack adapter take their values from: a Web API method
 * or error Slack names that is not listed here is counted as `other`, so no label value ever
 * comes from a response body (or from anything a person typed).
 */
export const SLACK_METHOD_LABELS = [
  'auth.test',
  'chat.postEphemeral',
  'chat.postMessage',
  'chat.update',
  'conversations.open',
  'users.info',
  'users.lookupByEmail',
  'views.open',
  'views.publish',
  'views.update',
  'apps.connections.open',
] as const;

/** Slack's documented `error` codes for the methods above that an operator can act on, and the transport's own failures. */
export const SLACK_ERROR_LABELS = [
  // Authentication and installation.
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'not_allowed_token_type',
  'team_access_not_granted',
  // Channels, users and messages.
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'restricted_action',
  'user_not_found',
  'users_not_found',
  'user_not_in_channel',
  'cannot_dm_bot',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'msg_too_long',
  'no_text',
  'invalid_blocks',
  'invalid_arguments',
  'invalid_form_data',
  'expired_trigger_id',
  'exchanged_trigger_id',
  'invalid_trigger_id',
  'view_too_large',
  'duplicate_external_id',
  // Slack's side.
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  // The transport, before or instead of an answer.
  'http_error',
  'network',
  'timeout',
  'rate_limit_wait_exceeded',
  'other',
] as const;

export type SlackMethodLabel = (typeof SLACK_METHOD_LABELS)[number] | 'other';
export type SlackErrorLabel = (typeof SLACK_ERROR_LABELS)[number];

const METHODS: ReadonlySet<string> = new Set(SLACK_METHOD_LABELS);
const ERRORS: ReadonlySet<string> = new Set(SLACK_ERROR_LABELS);

export function slackMethodLabel(method: string): SlackMethodLabel {
  return METHODS.has(method) ? (method as SlackMethodLabel) : 'other';
}

export function slackErrorLabel(error: string): SlackErrorLabel {
  return ERRORS.has(error) ? (error as SlackErrorLabel) : 'other';
}
