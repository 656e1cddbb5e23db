import { AesGcmTokenCipher } from '../../../src/adapters/crypto/aes-gcm-token-cipher.ts';
import { createTokenIssuer } from '../../../src/adapters/oauth/index.ts';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/index.ts';
import { MemoryStore } from '../../../src/adapters/store/memory/memory-store.ts';
import { createTeamsAdapter, type TeamsAdapter, type TeamsAdapterOptions } from '../../../src/adapters/teams/index.ts';
import { ChatPlatforms } from '../../../src/app/chat/chat-platforms.ts';
import type { ChatDeps } from '../../../src/app/chat/chat-deps.ts';
import type { Metrics } from '../../../src/ports/metrics.ts';
import { KeyedSerializer } from '../../../src/shared/keyed-serializer.ts';
import { MessageRefreshes } from '../../../src/app/chat/message-refreshes.ts';
import { StoredConversationReferences } from '../../../src/app/chat/stored-conversation-references.ts';
import { readSlackConfig } from '../../../src/config/slack.ts';
import { readTeamsConfig } from '../../../src/config/teams.ts';
import { systemClock } from '../../../src/domain/clock.ts';
import type { ScopeDefinition } from '../../../src/domain/scope.ts';
import { createHttpServer, type HttpServer, type Mount } from '../../../src/http/server.ts';
import { createLogger } from '../../../src/logging/logger.ts';
import { oauthConfigFor } from '../../fakes/oauth/builders.ts';
import { serveDevAuthorizationServer, type ServedDevAuthorizationServer } from '../../fakes/oauth/dev-authorization-server-on-loopback.ts';
import { generateBotKeys } from '../../fakes/oauth/test-bot-keys.ts';
import { FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack } from '../../fakes/slack/fake-slack-server.ts';
import { SlackSender, TEST_SIGNING_SECRET } from '../../fakes/slack/slack-sender.ts';
import { startFakeBotFramework, teamsEnvFor, type FakeBotFramework, type FakeBotFrameworkOptions, type StoredActivity } from '../../fakes/teams/fake-bot-framework.ts';
import { REVIEWERS_CHANNEL, TeamsSender, teamsUser, type SendOptions, type SentActivity } from '../../fakes/teams/teams-sender.ts';
import { aChannelMapping, anIdentity, aPrincipal, aScope } from '../../support/builders.ts';
import { sequentialIds } from '../../support/core-harness.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { LogCapture } from '../../support/log-capture.ts';

export const SLACK_REVIEWERS = 'C0REVIEWERS';
export const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin'] as const;
export type Person = (typeof PEOPLE)[number];

export interface TeamsWorld {
  bf: FakeBotFramework;
  as: ServedDevAuthorizationServer;
  store: MemoryStore;
  clock: FakeClock;
  deps: ChatDeps;
  adapter: TeamsAdapter;
  logs: LogCapture;
  sender: TeamsSender;
  endpoint: string;
  slack: { fake: FakeSlack; adapter: SlackAdapter; sender: SlackSender; eventsUrl: string } | null;
  /** A 1:1 message from a person; waits for background work. */
  say(person: Person, text: string, options?: SendOptions): Promise<SentActivity>;
  /** Mentions the bot in a channel. */
  sayInChannel(person: Person, channelId: string, text: string): Promise<SentActivity>;
  /** An `Action.Execute` click; waits for background work. */
  click(person: Person, where: { channelId: string | null; messageId?: string }, verb: string, data: Record<string, unknown>, options?: SendOptions): Promise<SentActivity>;
  /** The approval card of a request in a Teams channel, as the fake connector holds it now. */
  approvalCard(requestId: string, channelId?: string): Promise<{ card: Record<string, unknown>; stored: StoredActivity }>;
  /** Plain texts and cards the bot sent to a person's 1:1 chat. */
  personalActivities(person: Person): Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * The real Teams adapter (botbuilder's CloudAdapter over HTTP on the service's one server) wired
 * to the in-memory store, the real token issuer against the development AS on loopback, and the
 * fake Bot Framework (keys, login, connector). alice requests; bob and carol approve
 * `prod-db-admin`; dave has no role; erin is an admin. Teams users are linked by their Entra
 * object id `aad-<name>`; `prod-db-admin` is mapped to the Teams channel `REVIEWERS_CHANNEL`, and
 * the bot was added to its team. With `withSlack`, Slack runs too and the scope is also mapped to
 * `C0REVIEWERS`.
 */
export async function startTeamsWorld(
  options: { scope?: Partial<ScopeDefinition>; withSlack?: boolean; env?: Record<string, string>; throttle?: FakeBotFrameworkOptions['throttle']; workLimits?: TeamsAdapterOptions['workLimits']; metrics?: Metrics } = {},
): Promise<TeamsWorld> {
  const logs = new LogCapture();
  const logger = createLogger({ level: 'trace', destination: logs });
  const clock = new FakeClock(new Date());
  const store = new MemoryStore(clock);
  const scope = aScope(options.scope);
  await store.transaction(async (tx) => {
    for (const id of PEOPLE) {
      await tx.putPrincipal(aPrincipal({ id, isAdmin: id === 'erin' }));
      await tx.putIdentity(anIdentity({ platform: 'teams', principalId: id, userId: teamsUser(id).aadObjectId }));
      if (options.withSlack) await tx.putIdentity(anIdentity({ platform: 'slack', principalId: id, userId: `U${id.toUpperCase()}` }));
    }
    await tx.putScope(scope);
    await tx.addChannelMapping(aChannelMapping({ platform: 'teams', channelId: REVIEWERS_CHANNEL }));
    if (options.withSlack) await tx.addChannelMapping(aChannelMapping({ platform: 'slack', channelId: SLACK_REVIEWERS }));
  });

  const bf = await startFakeBotFramework(options.throttle ? { throttle: options.throttle } : {});
  const { keys } = await generateBotKeys();
  const secret = 'as-client-secret-for-teams-tests';
  const as = await serveDevAuthorizationServer({
    keys,
    clientId: 'elevate-bot',
    auth: { method: 'client_secret_basic', secret },
    scopes: [{ name: scope.name, oauthScope: scope.oauthScope, audience: scope.audience }],
    logger,
  });
  const issuer = await createTokenIssuer(oauthConfigFor({ issuer: as.issuer, publicUrl: as.origin, clientId: 'elevate-bot', clientSecret: secret }), { logger, clock: systemClock, keys });

  const platforms = new ChatPlatforms();
  const deps: ChatDeps = { store, clock, ids: sequentialIds(), logger, issuer, cipher: new AesGcmTokenCipher([Buffer.alloc(32, 9)]), platforms, refreshes: new MessageRefreshes(), notices: new KeyedSerializer(), metrics: options.metrics };

  const problems: { key: string; message: string }[] = [];
  const config = readTeamsConfig(
    {
      ...teamsEnvFor(bf),
      ...options.env,
    },
    problems,
  );
  if (!config || problems.length > 0) throw new Error(`test Teams config rejected: ${JSON.stringify(problems)}`);
  const adapter = createTeamsAdapter({ config, deps, logger, clock: systemClock, references: new StoredConversationReferences(store), ...(options.workLimits ? { workLimits: options.workLimits } : {}) });
  platforms.register(adapter.platform);
  await adapter.start();
  const mounts: Mount[] = [adapter.mount];

  let slack: TeamsWorld['slack'] = null;
  if (options.withSlack) {
    const fake = await startFakeSlack();
    fake.addChannel(SLACK_REVIEWERS);
    const slackProblems: { key: string; message: string }[] = [];
    const slackConfig = readSlackConfig({ SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, SLACK_BOT_TOKEN: FAKE_BOT_TOKEN, SLACK_API_URL: fake.apiUrl }, slackProblems);
    if (!slackConfig || slackProblems.length > 0) throw new Error(`test Slack config rejected: ${JSON.stringify(slackProblems)}`);
    const slackAdapter = createSlackAdapter({ config: slackConfig, deps, logger, clock: systemClock });
    platforms.register(slackAdapter.platform);
    await slackAdapter.start();
    mounts.push(slackAdapter.mount!);
    slack = { fake, adapter: slackAdapter, sender: null as unknown as SlackSender, eventsUrl: '' };
  }

  const http: HttpServer = createHttpServer({ routes: [], mounts, logger });
  const { port } = await http.listen(0, '127.0.0.1');
  const endpoint = `http://127.0.0.1:${port}/api/messages`;
  if (slack) {
    slack.eventsUrl = `http://127.0.0.1:${port}/slack/events`;
    slack.sender = new SlackSender(slack.eventsUrl);
  }
  const sender = new TeamsSender(endpoint, bf);
  const settle = async () => {
    await adapter.idle();
    await slack?.adapter.idle();
  };
  const added = await sender.botAdded(teamsUser('erin'), REVIEWERS_CHANNEL);
  if (added.status !== 200) throw new Error(`bot install failed: ${added.status} ${added.text}\n${logs.lines.filter((l) => l.includes("teams")).join("\n")}\n${bf.calls.map((c) => `${c.method} ${c.path} ${c.status}`).join("\n")}`);

  return {
    bf,
    as,
    store,
    clock,
    deps,
    adapter,
    logs,
    sender,
    endpoint,
    slack,
    async say(person, text, sendOptions) {
      const sent = await sender.message(teamsUser(person), text, sendOptions);
      await settle();
      return sent;
    },
    async sayInChannel(person, channelId, text) {
      const sent = await sender.channelMessage(teamsUser(person), channelId, text);
      await settle();
      return sent;
    },
    async click(person, where, verb, data, sendOptions) {
      const sent = await sender.execute(teamsUser(person), where, verb, data, sendOptions);
      await settle();
      return sent;
    },
    async approvalCard(requestId, channelId = REVIEWERS_CHANNEL) {
      const posted = (await store.listPostedMessages(requestId)).find((m) => m.platform === 'teams' && m.channelId === channelId);
      if (!posted) throw new Error(`no Teams approval card of ${requestId} in ${channelId}`);
      const stored = bf.activities.get(`${channelId}\u0000${posted.messageId}`);
      if (!stored) throw new Error(`the fake connector has no activity ${posted.messageId}`);
      return { card: cardOf(stored.activity), stored };
    },
    personalActivities(person) {
      return bf.sentTo(`a:1:${teamsUser(person).id}`).map((a) => a.activity);
    },
    async close() {
      await adapter.stop();
      await slack?.adapter.stop();
      await http.close(100);
      await slack?.fake.close();
      await bf.close();
      await as.close();
    },
  };
}

/** The Adaptive Card content of an activity (its first attachment). */
export function cardOf(activity: Record<string, unknown>): Record<string, unknown> {
  const attachment = (activity.attachments as { contentType: string; content: Record<string, unknown> }[] | undefined)?.[0];
  if (!attachment) throw new Error(`activity has no card: ${JSON.stringify(activity).slice(0, 300)}`);
  return attachment.content;
}

/** Every text a reader of a card sees (TextBlock, TextRun, facts), joined by newlines. */
export function cardText(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((o.type === 'TextBlock' || o.type === 'TextRun') && typeof o.text === 'string') out.push(o.text);
      if (typeof o.title === 'string' && typeof o.value === 'string') out.push(`${o.title}: ${o.value}`);
      for (const [k, child] of Object.entries(o)) if (k !== 'text') walk(child);
    }
  };
  walk(value);
  return out.join('\n');
}

/** Verbs of the `Action.Execute` actions on a card, including those inside `Action.ShowCard`. */
export function verbsOf(card: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'Action.Execute' && typeof o.verb === 'string') out.push(o.verb);
      Object.values(o).forEach(walk);
    }
  };
  walk(card.actions ?? []);
  return out;
}
