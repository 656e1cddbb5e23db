import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback, readBody } from '../oauth/loopback-server.ts';
import { blockErrors, LIMITS } from './block-limits.ts';
import { WindowCounter } from '../window-counter.ts';
import type { SlackRateLimits } from './rate-limits.ts';

export const FAKE_BOT_TOKEN = 'xoxb-fake-0000-bot-token';
export const FAKE_BOT_USER_ID = 'UBOTELEVATE';
export const FAKE_APP_TOKEN = 'xapp-1-A0ELEVATE-fake-app-level-token';

/** One recorded Web API call, with its arguments decoded as Slack decodes them. */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  /** What the fake answered: `ok`, or the Slack error code (`ratelimited` for a 429). */
  outcome: string;
  /** When the fake answered (`Date.now()`), for benchmarks. */
  at: number;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: Record<string, unknown>[];
  /** The `ts` of the message this one replies to in a thread (`thread_ts`), if any. */
  threadTs?: string;
  /** Every version, the first as posted, then each `chat.update`. */
  versions: { text: string; blocks: Record<string, unknown>[] }[];
}

export interface FakeSlack {
  /** Base URL of the Web API, as `SLACK_API_URL` expects it (ends with `/api/`). */
  readonly apiUrl: string;
  readonly origin: string;
  readonly calls: RecordedCall[];
  /** Everything posted to a `response_url`, in order. */
  readonly responses: { path: string; body: Record<string, unknown> }[];
  /** Every raw request body the fake received (Web API and response URLs): for secret searches. */
  readonly rawBodies: string[];
  readonly messages: Map<string, StoredMessage>;
  /** A fresh single-use `response_url` for a slash command or an interaction. */
  responseUrl(): string;
  /** A fresh trigger id, valid for one `views.open`. */
  triggerId(): string;
  /** Makes the bot a member of a channel (only members may post). */
  addChannel(channelId: string): void;
  /** The channel is gone for the bot: posting there answers `channel_not_found` (a DM) or `not_in_channel`, until it is opened or added again. */
  removeChannel(channelId: string): void;
  /** Where `apps.connections.open` sends Socket Mode clients (a WebSocket URL). */
  setSocketModeUrl(url: string): void;
  /**
   * A user `users.info` knows, with an e-mail address: by default a full member of this workspace
   * (`T0FAKE`) with a confirmed address. Override to play a guest (`is_restricted`,
   * `is_ultra_restricted`), an unconfirmed address, or a Slack Connect user from another
   * organisation (`is_stranger`, another `team_id`).
   */
  addUser(userId: string, email: string, overrides?: FakeSlackUser): void;
  callsTo(method: string): RecordedCall[];
  /** Calls `listener` with every call as it is recorded, so a benchmark waits on calls instead of polling. */
  onCall(listener: (call: RecordedCall) => void): void;
  /** Fails with the recorded calls listed when no call of `method` matches. */
  expectCall(method: string, matches?: (args: Record<string, unknown>) => boolean): RecordedCall;
  message(channel: string, ts: string): StoredMessage;
  /**
   * Keeps the next calls of `method` whose arguments match waiting, unanswered, until `release()`:
   * a test's way to stop time while a call is in flight. `arrived` resolves when one is waiting.
   */
  hold(method: string, matches: (args: Record<string, unknown>) => boolean): { arrived: Promise<void>; release(): void };
  close(): Promise<void>;
}

/**
 * A fake of the Slack Web API as a real HTTP server on loopback: Slack's paths (`/api/<method>`),
 * its form or JSON bodies, its bearer-token check (`not_authed`, `invalid_auth`), its errors
 * (`channel_not_found`, `not_in_channel`, `message_not_found`, `invalid_blocks`,
 * `msg_too_long`, `invalid_trigger_id`, `user_not_found`) as HTTP 200 with `ok: false`, and
 * its Block Kit limits. It keeps every call and every message version for assertions.
 */
/** The fields of Slack's user object (users.info) that the fake lets a test set. */
export interface FakeSlackUser {
  team_id?: string;
  is_email_confirmed?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  is_stranger?: boolean;
  deleted?: boolean;
  is_bot?: boolean;
}

export const FAKE_TEAM_ID = 'T0FAKE';

export interface FakeSlackOptions {
  botToken?: string;
  /**
   * Enforce these rate limits (HTTP 429 with `Retry-After` and `{ ok: false, error: 'ratelimited' }`,
   * as Slack answers); off unless given, so other tests are not slowed. `SLACK_DOCUMENTED_LIMITS`
   * are Slack's; `limitsWithWindow` shrinks the windows.
   */
  rateLimits?: SlackRateLimits;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const botToken = options.botToken ?? FAKE_BOT_TOKEN;
  const rateLimits = options.rateLimits;
  const windows = new WindowCounter();
  const calls: RecordedCall[] = [];
  const listeners: ((call: RecordedCall) => void)[] = [];
  const record = (call: RecordedCall) => {
    calls.push(call);
    for (const listener of listeners) listener(call);
  };
  const responses: FakeSlack['responses'] = [];
  const rawBodies: string[] = [];
  const messages = new Map<string, StoredMessage>();
  const channels = new Set<string>();
  const users = new Map<string, Record<string, unknown>>();
  const triggers = new Set<string>();
  let counter = 0;
  let tsCounter = 100;

  let socketModeUrl: string | null = null;
  const methods: Record<string, (args: Record<string, unknown>) => Record<string, unknown>> = {
    'apps.connections.open': () => {
      if (!socketModeUrl) throw new SlackError('internal_error');
      return { url: socketModeUrl };
    },
    'auth.test': () => ({ url: 'https://fake.slack.com/', team: 'Fake', user: 'elevate', team_id: FAKE_TEAM_ID, user_id: FAKE_BOT_USER_ID, bot_id: 'B0FAKE' }),
    'chat.postMessage': (args) => {
      const channel = String(args.channel ?? '');
      requireChannel(channel);
      const content = messageContent(args, LIMITS.messageBlocks);
      const ts = `1700000000.${String(tsCounter++).padStart(6, '0')}`;
      const threadTs = args.thread_ts === undefined ? undefined : String(args.thread_ts);
      messages.set(key(channel, ts), { channel, ts, ...content, ...(threadTs ? { threadTs } : {}), versions: [content] });
      return { channel, ts, message: { text: content.text, blocks: content.blocks, bot_id: 'B0FAKE' } };
    },
    'chat.update': (args) => {
      const channel = String(args.channel ?? '');
      requireChannel(channel);
      const stored = messages.get(key(channel, String(args.ts ?? '')));
      if (!stored) throw new SlackError('message_not_found');
      const content = messageContent(args, LIMITS.messageBlocks);
      Object.assign(stored, content);
      stored.versions.push(content);
      return { channel, ts: stored.ts, text: content.text };
    },
    'chat.postEphemeral': (args) => {
      const channel = String(args.channel ?? '');
      requireChannel(channel);
      if (!users.has(String(args.user ?? '')) && !/^U/.test(String(args.user ?? ''))) throw new SlackError('user_not_in_channel');
      messageContent(args, LIMITS.messageBlocks);
      return { message_ts: `1700000001.${String(tsCounter++).padStart(6, '0')}` };
    },
    'conversations.open': (args) => {
      const user = String(args.users ?? '');
      if (!/^[UW][A-Z0-9-]+$/.test(user)) throw new SlackError('user_not_found');
      const channel = `D${user.slice(1)}`;
      channels.add(channel);
      return { channel: { id: channel } };
    },
    'views.open': (args) => {
      const trigger = String(args.trigger_id ?? '');
      if (!triggers.delete(trigger)) throw new SlackError(trigger === '' ? 'invalid_arguments' : 'invalid_trigger_id');
      const view = parseJson(args.view) as Record<string, unknown>;
      requireBlocks(view.blocks, LIMITS.viewBlocks);
      return { view: { id: `V${++counter}`, ...view } };
    },
    'views.publish': (args) => {
      if (!/^U/.test(String(args.user_id ?? ''))) throw new SlackError('invalid_arguments');
      const view = parseJson(args.view) as Record<string, unknown>;
      if (view.type !== 'home') throw new SlackError('invalid_arguments');
      requireBlocks(view.blocks, LIMITS.viewBlocks);
      return { view: { id: `V${++counter}`, ...view } };
    },
    'users.info': (args) => {
      const user = users.get(String(args.user ?? ''));
      if (user === undefined) throw new SlackError('user_not_found');
      return { user };
    },
  };

  function requireChannel(channel: string): void {
    if (channel === '' || !/^[CGD]/.test(channel)) throw new SlackError('channel_not_found');
    if (!channels.has(channel)) throw new SlackError(channel.startsWith('D') ? 'channel_not_found' : 'not_in_channel');
  }

  function messageContent(args: Record<string, unknown>, maxBlocks: number): { text: string; blocks: Record<string, unknown>[] } {
    const text = String(args.text ?? '');
    if (text.length > LIMITS.messageText) throw new SlackError('msg_too_long');
    const blocks = args.blocks === undefined ? [] : (parseJson(args.blocks) as Record<string, unknown>[]);
    if (args.blocks !== undefined) requireBlocks(blocks, maxBlocks);
    if (text === '' && blocks.length === 0) throw new SlackError('no_text');
    return { text, blocks };
  }

  function requireBlocks(blocks: unknown, maxBlocks: number): void {
    const errors = blockErrors(blocks, maxBlocks);
    if (errors.length > 0) throw new SlackError('invalid_blocks', errors);
  }

  /** `Retry-After` seconds when the call is over its method's (or its channel's) limit. */
  function overLimit(limits: SlackRateLimits, method: string, args: Record<string, unknown>): number | null {
    if (method === 'chat.postMessage') return windows.take(`${method}:${String(args.channel ?? '')}`, limits.postMessagePerChannel);
    const limit = limits.methods[method];
    return limit ? windows.take(method, limit) : null;
  }

  const holds: { method: string; matches: (args: Record<string, unknown>) => boolean; wait(): Promise<void> }[] = [];
  const hold: FakeSlack['hold'] = (method, matches) => {
    let arrive!: () => void;
    let release!: () => void;
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    holds.push({ method, matches, wait: () => (arrive(), released) });
    return { arrived, release };
  };

  const loopback = await listenOnLoopback((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const body = await readBody(req);
      rawBodies.push(body);
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (req.method === 'POST' && path.startsWith('/response/')) {
        responses.push({ path, body: JSON.parse(body) as Record<string, unknown> });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      const method = /^\/api\/([a-zA-Z.]+)$/.exec(path)?.[1];
      const handler = method ? methods[method] : undefined;
      if (req.method !== 'POST' || !method || !handler) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'unknown_method' }));
        return;
      }
      const args = decodeArgs(req.headers['content-type'] ?? '', body);
      const answer = (status: number, payload: Record<string, unknown>, outcome: string) => {
        record({ method, args, outcome, at: Date.now() });
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(payload));
      };
      const authorization = req.headers.authorization ?? (typeof args.token === 'string' ? `Bearer ${args.token}` : undefined);
      if (!authorization) return answer(200, { ok: false, error: 'not_authed' }, 'not_authed');
      // apps.connections.open takes the app-level token (xapp-), every other method the bot token.
      const expected = method === 'apps.connections.open' ? FAKE_APP_TOKEN : botToken;
      if (authorization !== `Bearer ${expected}`) return answer(200, { ok: false, error: 'invalid_auth' }, 'invalid_auth');
      const retryAfter = rateLimits ? overLimit(rateLimits, method, args) : null;
      if (retryAfter !== null) {
        record({ method, args, outcome: 'ratelimited', at: Date.now() });
        res.writeHead(429, { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(retryAfter) }).end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      for (const held of holds) if (held.method === method && held.matches(args)) await held.wait();
      try {
        answer(200, { ok: true, ...handler(args) }, 'ok');
      } catch (error) {
        if (!(error instanceof SlackError)) throw error;
        answer(200, { ok: false, error: error.code, ...(error.messages ? { response_metadata: { messages: error.messages } } : {}) }, error.code);
      }
    })();
  });

  const calledIn = (method: string) => calls.filter((call) => call.method === method);
  return {
    apiUrl: `${loopback.origin}/api/`,
    origin: loopback.origin,
    calls,
    onCall: (listener) => void listeners.push(listener),
    responses,
    rawBodies,
    messages,
    responseUrl: () => `${loopback.origin}/response/${++counter}`,
    triggerId: () => {
      const id = `${++counter}.1234567890.${Math.random().toString(16).slice(2)}`;
      triggers.add(id);
      return id;
    },
    addChannel: (channelId) => void channels.add(channelId),
    removeChannel: (channelId) => void channels.delete(channelId),
    addUser: (userId, email, overrides = {}) => {
      // The shape of Slack's user object as users.info returns it (with users:read.email); a
      // Slack Connect user from another organisation also carries `is_stranger: true`.
      const name = email.split('@')[0] ?? userId;
      users.set(userId, {
        id: userId,
        team_id: FAKE_TEAM_ID,
        name,
        deleted: false,
        real_name: name,
        tz: 'Europe/London',
        is_admin: false,
        is_owner: false,
        is_primary_owner: false,
        is_restricted: false,
        is_ultra_restricted: false,
        is_bot: false,
        is_app_user: false,
        is_email_confirmed: true,
        updated: 1_700_000_000,
        ...overrides,
        profile: { real_name: name, display_name: name, email, team: overrides.team_id ?? FAKE_TEAM_ID },
      });
    },
    setSocketModeUrl: (url) => {
      socketModeUrl = url;
    },
    callsTo: calledIn,
    expectCall(method, matches = () => true) {
      const found = calledIn(method).find((call) => matches(call.args));
      if (!found) {
        const seen = calls.map((call) => `${call.method} → ${call.outcome} ${JSON.stringify(call.args).slice(0, 200)}`).join('\n  ');
        throw new Error(`expected a matching ${method} call; the fake Slack received:\n  ${seen || '(nothing)'}`);
      }
      return found;
    },
    message(channel, ts) {
      const stored = messages.get(key(channel, ts));
      if (!stored) throw new Error(`no message ${ts} in ${channel}`);
      return stored;
    },
    hold,
    close: loopback.close,
  };
}

class SlackError extends Error {
  constructor(readonly code: string, readonly messages?: string[]) {
    super(code);
  }
}

function key(channel: string, ts: string): string {
  return `${channel}/${ts}`;
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new SlackError('invalid_arguments');
  }
}

/** Slack accepts form bodies (objects JSON-encoded in fields) and JSON bodies. */
function decodeArgs(contentType: string, body: string): Record<string, unknown> {
  if (contentType.startsWith('application/json')) return JSON.parse(body) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(body));
}
