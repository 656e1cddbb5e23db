import { signSlackRequest } from '../../../src/adapters/slack/index.ts';

export const TEST_SIGNING_SECRET = 'test-signing-secret-5f3c9a0e71b24d6e';

export interface SendOptions {
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  /** Replaces the computed signature (forgeries); `null` omits the header. */
  signature?: string | null;
  secret?: string;
  headers?: Record<string, string>;
}

export interface SentRequest {
  status: number;
  body: string;
  headers: Headers;
  /** Exactly what was sent, to send it again (replays). */
  replay(): Promise<SentRequest>;
}

/**
 * Sends requests to `/slack/events` exactly as Slack does: form-encoded slash commands,
 * `payload=<json>` interactivity, JSON events, each signed with the signing secret over
 * `v0:<timestamp>:<raw body>`.
 */
export class SlackSender {
  constructor(private readonly eventsUrl: string, private readonly secret = TEST_SIGNING_SECRET) {}

  command(fields: { userId: string; text: string; channelId?: string; responseUrl: string; triggerId: string; command?: string }, options: SendOptions = {}): Promise<SentRequest> {
    const body = new URLSearchParams({
      token: 'deprecated-verification-token',
      team_id: 'T0FAKE',
      team_domain: 'fake',
      channel_id: fields.channelId ?? 'C0GENERAL',
      channel_name: 'general',
      user_id: fields.userId,
      user_name: fields.userId.toLowerCase(),
      command: fields.command ?? '/elevate',
      text: fields.text,
      api_app_id: 'A0ELEVATE',
      response_url: fields.responseUrl,
      trigger_id: fields.triggerId,
    }).toString();
    return this.send(body, 'application/x-www-form-urlencoded', options);
  }

  interaction(payload: Record<string, unknown>, options: SendOptions = {}): Promise<SentRequest> {
    return this.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', options);
  }

  event(event: Record<string, unknown>, options: SendOptions = {}): Promise<SentRequest> {
    const body = JSON.stringify({ token: 'x', team_id: 'T0FAKE', api_app_id: 'A0ELEVATE', type: 'event_callback', event_id: `Ev${Date.now()}${Math.random().toString(16).slice(2, 8)}`, event_time: Math.floor(Date.now() / 1000), event });
    return this.send(body, 'application/json', options);
  }

  async send(body: string, contentType: string, options: SendOptions = {}): Promise<SentRequest> {
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const signature = options.signature === undefined ? signSlackRequest(options.secret ?? this.secret, timestamp, body) : options.signature;
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': timestamp,
      ...(signature === null ? {} : { 'x-slack-signature': signature }),
      ...options.headers,
    };
    const post = async (): Promise<SentRequest> => {
      const response = await fetch(this.eventsUrl, { method: 'POST', headers, body });
      return { status: response.status, body: await response.text(), headers: response.headers, replay: post };
    };
    return post();
  }
}

/** A `block_actions` payload: a button click on a message. */
export function buttonClick(input: { userId: string; actionId: string; value: string; channelId: string; messageTs?: string; triggerId: string; responseUrl: string }): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: 'T0FAKE', domain: 'fake' },
    user: { id: input.userId, username: input.userId.toLowerCase(), team_id: 'T0FAKE' },
    api_app_id: 'A0ELEVATE',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: input.messageTs ?? '1700000000.000100', channel_id: input.channelId, is_ephemeral: false },
    trigger_id: input.triggerId,
    channel: { id: input.channelId, name: 'reviewers' },
    message: { ts: input.messageTs ?? '1700000000.000100', text: '' },
    response_url: input.responseUrl,
    actions: [{ type: 'button', action_id: input.actionId, block_id: 'b', value: input.value, text: { type: 'plain_text', text: 'x' }, action_ts: `${Date.now() / 1000}` }],
  };
}

/** A `view_submission` payload: a modal's Submit. */
export function viewSubmission(input: { userId: string; callbackId: string; privateMetadata?: string; values: Record<string, Record<string, Record<string, unknown>>> }): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: 'T0FAKE', domain: 'fake' },
    user: { id: input.userId, username: input.userId.toLowerCase(), team_id: 'T0FAKE' },
    api_app_id: 'A0ELEVATE',
    token: 'deprecated-verification-token',
    trigger_id: `${Date.now()}.1.x`,
    view: {
      id: 'V0FORM',
      type: 'modal',
      callback_id: input.callbackId,
      private_metadata: input.privateMetadata ?? '',
      state: { values: input.values },
      hash: '1.x',
    },
  };
}
