import { AesGcmTokenCipher } from '../../../src/adapters/crypto/aes-gcm-token-cipher.ts';
import { createTokenIssuer } from '../../../src/adapters/oauth/index.ts';
import { createSlackAdapter, type SlackAdapter, type SlackAdapterOptions } from '../../../src/adapters/slack/index.ts';
import { MemoryStore } from '../../../src/adapters/store/memory/memory-store.ts';
import { ChatPlatforms } from '../../../src/app/chat/chat-platforms.ts';
import type { ChatDeps } from '../../../src/app/chat/chat-deps.ts';
import { KeyedSerializer } from '../../../src/shared/keyed-serializer.ts';
import { MessageRefreshes } from '../../../src/app/chat/message-refreshes.ts';
import { readSlackConfig } from '../../../src/config/slack.ts';
import { systemClock } from '../../../src/domain/clock.ts';
import type { ScopeDefinition } from '../../../src/domain/scope.ts';
import { createHttpServer, type HttpServer } from '../../../src/http/server.ts';
import { createLogger } from '../../../src/logging/logger.ts';
import { oauthConfigFor } from '../../fakes/oauth/builders.ts';
import { serveDevAuthorizationServer, type ServedDevAuthorizationServer } from '../../fakes/oauth/dev-authorization-server-on-loopback.ts';
import { generateBotKeys } from '../../fakes/oauth/test-bot-keys.ts';
import { FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack, type FakeSlackOptions } from '../../fakes/slack/fake-slack-server.ts';
import { buttonClick, SlackSender, TEST_SIGNING_SECRET, type SendOptions, type SentRequest } from '../../fakes/slack/slack-sender.ts';
import { aChannelMapping, anIdentity, aPrincipal, aScope } from '../../support/builders.ts';
import { sequentialIds } from '../../support/core-harness.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { LogCapture } from '../../support/log-capture.ts';

export const REVIEWERS = 'C0REVIEWERS';
export const GENERAL = 'C0GENERAL';
export const slackId = (name: string) => `U${name.toUpperCase()}`;

export interface SlackWorld {
  fake: FakeSlack;
  as: ServedDevAuthorizationServer;
  store: MemoryStore;
  /** The core's clock: starts at the real time (the AS checks windows against it) and moves only when told. */
  clock: FakeClock;
  deps: ChatDeps;
  adapter: SlackAdapter;
  logs: LogCapture;
  sender: SlackSender;
  eventsUrl: string;
  /** `/elevate <text>` from a user; waits until every follow-up has finished. */
  command(user: string, text: string, options?: SendOptions): Promise<{ sent: SentRequest; replies: Record<string, unknown>[] }>;
  /** A button click on a message; waits until every follow-up has finished. */
  click(user: string, actionId: string, value: string, options?: SendOptions & { channelId?: string; triggerId?: string }): Promise<SentRequest>;
  /** The approval message of a request in a channel, as the fake Slack holds it now. */
  approvalMessage(requestId: string, channelId?: string): Promise<{ text: string; blocks: Record<string, unknown>[]; ts: string; versions: number }>;
  /** Direct messages the bot sent a user, oldest first. */
  dmsTo(user: string): { text: string; blocks: Record<string, unknown>[] }[];
  close(): Promise<void>;
}

/**
 * The real Slack adapter (Bolt over HTTP on the service's one server) wired to the in-memory
 * store, the real token issuer against the development AS on loopback, and the fake Slack Web
 * API. Organisation: alice requests; bob and carol approve `prod-db-admin`; dave has no role;
 * erin is an admin. Slack users are `U<NAME>`; `prod-db-admin` is mapped to `C0REVIEWERS`.
 */
export async function startSlackWorld(
  options: { scope?: Partial<ScopeDefinition>; env?: Record<string, string>; rateLimits?: FakeSlackOptions['rateLimits']; workLimits?: SlackAdapterOptions['workLimits']; onRateLimitWait?: SlackAdapterOptions['onRateLimitWait'] } = {},
): Promise<SlackWorld> {
  const logs = new LogCapture();
  const logger = createLogger({ level: 'trace', destination: logs });
  const clock = new FakeClock(new Date());
  const store = new MemoryStore(clock);
  const scope = aScope(options.scope);
  await store.transaction(async (tx) => {
    for (const id of ['alice', 'bob', 'carol', 'dave']) {
      await tx.putPrincipal(aPrincipal({ id }));
      await tx.putIdentity(anIdentity({ principalId: id, userId: slackId(id) }));
    }
    await tx.putPrincipal(aPrincipal({ id: 'erin', isAdmin: true }));
    await tx.putIdentity(anIdentity({ principalId: 'erin', userId: slackId('erin') }));
    await tx.putScope(scope);
    await tx.addChannelMapping(aChannelMapping({ channelId: REVIEWERS }));
  });

  const fake = await startFakeSlack(options.rateLimits ? { rateLimits: options.rateLimits } : {});
  fake.addChannel(REVIEWERS);
  fake.addChannel(GENERAL);

  const { keys } = await generateBotKeys();
  const secret = 'as-client-secret-for-slack-tests';
  const as = await serveDevAuthorizationServer({
    keys,
    clientId: 'elevate-bot',
    auth: { method: 'client_secret_basic', secret },
    scopes: [{ name: scope.name, oauthScope: scope.oauthScope, audience: scope.audience }],
    logger,
  });
  const issuer = await createTokenIssuer(oauthConfigFor({ issuer: as.issuer, publicUrl: as.origin, clientId: 'elevate-bot', clientSecret: secret }), { logger, clock: systemClock, keys });

  const platforms = new ChatPlatforms();
  const deps: ChatDeps = {
    store,
    clock,
    ids: sequentialIds(),
    logger,
    issuer,
    cipher: new AesGcmTokenCipher([Buffer.alloc(32, 9)]),
    platforms,
    refreshes: new MessageRefreshes(),
    notices: new KeyedSerializer(),
  };
  const problems: { key: string; message: string }[] = [];
  const config = readSlackConfig({ SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, SLACK_BOT_TOKEN: FAKE_BOT_TOKEN, SLACK_API_URL: fake.apiUrl, ...options.env }, problems);
  if (!config || problems.length > 0) throw new Error(`test Slack config rejected: ${JSON.stringify(problems)}`);
  const adapter = createSlackAdapter({ config, deps, logger, clock: systemClock, ...(options.workLimits ? { workLimits: options.workLimits } : {}), ...(options.onRateLimitWait ? { onRateLimitWait: options.onRateLimitWait } : {}) });
  platforms.register(adapter.platform);
  await adapter.start();

  const http: HttpServer = createHttpServer({ routes: [], mounts: [adapter.mount!], logger });
  const { port } = await http.listen(0, '127.0.0.1');
  const eventsUrl = `http://127.0.0.1:${port}/slack/events`;
  const sender = new SlackSender(eventsUrl);

  return {
    fake,
    as,
    store,
    clock,
    deps,
    adapter,
    logs,
    sender,
    eventsUrl,
    async command(user, text, options) {
      const responseUrl = fake.responseUrl();
      const sent = await sender.command({ userId: slackId(user), text, responseUrl, triggerId: fake.triggerId() }, options);
      await adapter.idle();
      const path = new URL(responseUrl).pathname;
      return { sent, replies: fake.responses.filter((r) => r.path === path).map((r) => r.body) };
    },
    async click(user, actionId, value, options = {}) {
      const sent = await sender.interaction(
        buttonClick({ userId: slackId(user), actionId, value, channelId: options.channelId ?? REVIEWERS, triggerId: options.triggerId ?? fake.triggerId(), responseUrl: fake.responseUrl() }),
        options,
      );
      await adapter.idle();
      return sent;
    },
    async approvalMessage(requestId, channelId = REVIEWERS) {
      const posted = (await store.listPostedMessages(requestId)).find((m) => m.platform === 'slack' && m.channelId === channelId);
      if (!posted) throw new Error(`no approval message of ${requestId} in ${channelId}`);
      const message = fake.message(channelId, posted.messageId);
      return { text: message.text, blocks: message.blocks, ts: message.ts, versions: message.versions.length };
    },
    dmsTo(user) {
      const dm = `D${slackId(user).slice(1)}`;
      return [...fake.messages.values()].filter((m) => m.channel === dm).map((m) => ({ text: m.text, blocks: m.blocks }));
    },
    async close() {
      await adapter.stop();
      await http.close(100);
      await fake.close();
      await as.close();
    },
  };
}

/** Every piece of text in some blocks, joined: what a reader of the message sees. */
export function textOf(blocks: unknown): string {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'text' && typeof v === 'string') out.push(v);
        else walk(v);
      }
    }
  };
  walk(blocks);
  return out.join('\n');
}

/** Action ids of the buttons in some blocks. */
export function buttonsOf(blocks: Record<string, unknown>[]): string[] {
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => (b.elements as { action_id: string }[]).map((e) => e.action_id));
}
