import { hostname } from 'node:os';
import { pathToFileURL } from 'node:url';
import { WebhookAuditSink } from './adapters/audit-webhook/index.ts';
import { AesGcmTokenCipher } from './adapters/crypto/aes-gcm-token-cipher.ts';
import { loadAuditKeys } from './adapters/crypto/audit-key.ts';
import { MetadataProbe } from './adapters/oauth/metadata-probe.ts';
import { AuthorizationServerReachability } from './app/authorization-server-reachability.ts';
import { loadEncryptionKeys } from './adapters/crypto/encryption-key.ts';
import { createApiAdapter } from './adapters/api/index.ts';
import { createWebAdapter, SIGN_IN_CALLBACK_PATH, stepUpSettings } from './adapters/web/index.ts';
import { connectAuthorizationServer, createDevAuthorizationServer, createJwksHandler, devAuthorizationServerSettings, loadBotKeys } from './adapters/oauth/index.ts';
import { LateBoundAccessTokenVerifier, LateBoundPersonAuthenticator, LateBoundTokenIssuer } from './adapters/oauth/late-bound-token-issuer.ts';
import { createSlackAdapter } from './adapters/slack/index.ts';
import { createTeamsAdapter } from './adapters/teams/index.ts';
import { ChatLifecycleNotifier, ChatPlatforms, findUnreachableScopes, KeyedSerializer, MessageRefreshes, StoredConversationReferences, type ChatDeps } from './app/chat/index.ts';
import { LogNotifier } from './adapters/log-notifier.ts';
import { PrometheusMetrics } from './adapters/metrics/prometheus-metrics.ts';
import { randomIds } from './adapters/random-ids.ts';
import { openStore } from './adapters/store/open-store.ts';
import { applyConfig } from './app/apply-config.ts';
import { recordAuditKeyInUse } from './app/record-audit-key-in-use.ts';
import { DEFAULT_SWEEP_OPTIONS, sweepOnce } from './app/sweep.ts';
import { releaseAuditStream, streamAuditRecords } from './app/stream-audit-records.ts';
import { startSweeper } from './scheduler/sweeper.ts';
import { sweepIntervalSec } from './scheduler/sweep-interval.ts';
import { startAuditStreamer, type RunningAuditStreamer } from './scheduler/audit-streamer.ts';
import type { AuditStreamConfig } from './config/audit-stream.ts';
import { AUDIT_WEBHOOK_STREAM } from './domain/audit-stream.ts';
import { loadConfig, type AppConfig } from './config/load.ts';
import { ConfigError, type Env } from './config/problems.ts';
import { systemClock, type Clock } from './domain/clock.ts';
import { isElevateError } from './domain/errors.ts';
import { describeChange } from './domain/desired-state.ts';
import { healthRoutes } from './http/health.ts';
import { metricsRoute } from './http/metrics-route.ts';
import type { Store, StoreReader } from './ports/store.ts';
import { createHttpServer, type Mount, type Route } from './http/server.ts';
import { createLogger, type Logger } from './logging/logger.ts';
import type { DestinationStream } from 'pino';
import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface StartOptions {
  /** Where log lines go (tests capture them); stdout otherwise. */
  logDestination?: DestinationStream;
  clock?: Clock;
  isTty?: boolean;
}

export interface RunningService {
  url: string;
  /** Where the separate metrics listener (METRICS_PORT) answers, or null when there is none. */
  metricsUrl: string | null;
  config: AppConfig;
  deps: ChatDeps;
  logger: Logger;
  /** The name this instance holds the audit stream's lease under; null when the stream is off. */
  auditStreamHolder: string | null;
  /** Graceful stop: stop accepting, finish in-flight requests, close the store. */
  stop(): Promise<void>;
}

/**
 * The composition root: configuration → store → keys and token issuer → chat adapters → HTTP
 * server → sweeper.
 * Everything is wired here and nowhere else.
 */
export async function startService(env: Env, options: StartOptions = {}): Promise<RunningService> {
  const config = loadConfig(env, { isTty: options.isTty });
  const { service } = config;
  const logger = createLogger({ level: service.logLevel, pretty: service.logPretty && !options.logDestination, destination: options.logDestination });
  const clock = options.clock ?? systemClock;
  const sweepOptions = { ...DEFAULT_SWEEP_OPTIONS, concurrency: service.sweepConcurrency, leaseSec: leaseFor(config.oauth.timeoutMs) };
  // Off unless METRICS_PORT or METRICS_TOKEN says where to serve them: then every event is counted.
  const metrics = config.metrics.enabled
    ? new PrometheusMetrics({ clock, logger, sweepIntervalSec: sweepIntervalSec(service.sweepSchedule), overdueAfterSec: sweepOptions.overdueAlertSec })
    : undefined;

  const auditKeys = loadAuditKeys({ configured: service.auditKeys, dataDir: service.dataDir, logger });
  const [auditKey] = auditKeys;
  const { store, kind, description } = await openStore({ databaseUrl: service.databaseUrl ?? undefined, dataDir: service.dataDir, logger, clock, auditKey, metrics });
  metrics?.readGaugesFrom(store);
  // Whatever was started is stopped again, in reverse, if a later step fails: a failed start must
  // not leave the embedded database locked or a port taken.
  const closers: (() => Promise<void>)[] = [() => store.close()];
  try {
    logger.info({ store: kind, where: description }, `store: ${kind} (${description}), migrations applied`);

    if (config.desired) {
      const text = readFileSync(config.desired.file, 'utf8');
      const changes = await applyConfig({ store, clock }, config.desired.state, {
        actor: `config:${config.desired.file}`,
        source: { file: config.desired.file, sha256: createHash('sha256').update(text).digest('hex') },
      });
      logger.info({ file: config.desired.file, changes: changes.map(describeChange) }, `config file applied: ${changes.length} change(s)`);
    }

    if (auditKey && (await recordAuditKeyInUse(store, auditKey.id))) {
      logger.info({ audit_key_id: auditKey.id }, 'audit chain: now keyed with a new audit key (recorded in the trail)');
    }

    const encryptionKeys = loadEncryptionKeys({ configured: service.encryptionKeys, dataDir: service.dataDir, logger });
    const cipher = new AesGcmTokenCipher(encryptionKeys);
    const botKeys = await loadBotKeys(config.oauth, { logger });

    const mounts: Mount[] = [];
    let devServer: Awaited<ReturnType<typeof createDevAuthorizationServer>> | null = null;
    if (config.oauth.mode === 'embedded') {
      devServer = await createDevAuthorizationServer({
        ...devAuthorizationServerSettings(config.oauth, botKeys, { publicUrl: service.publicUrl }),
        listScopes: () => store.listScopes(),
        logger,
        nodeEnv: service.nodeEnv,
        apiClients: {
          apiAudience: config.api.audience,
          cliClientId: config.api.cliClientId ?? undefined,
          dataDir: service.dataDir,
          listPrincipals: () => store.listPrincipals(),
          apiTokenFormat: config.api.tokenValidation === 'introspection' ? 'opaque' : 'jwt',
        },
      });
      mounts.push({ prefix: '/oauth', handler: (req, res) => devServer!.handler(req, res) });
      closers.push(async () => devServer?.close?.());
    }

    const issuer = new LateBoundTokenIssuer();
    const platforms = new ChatPlatforms();
    // Step-up sign-ins go to the AS's authorization endpoint, known once it is discovered below.
    const signIn = new LateBoundPersonAuthenticator();
    let signInOrigin: string | null = null;
    // False once the AS turns out to have no authorization endpoint: no step-up, no dashboard sign-in.
    let personSignIn = true;
    const deps: ChatDeps = {
      store,
      clock,
      ids: randomIds,
      logger,
      issuer,
      cipher,
      platforms,
      refreshes: new MessageRefreshes(),
      notices: new KeyedSerializer(),
      stepUp: stepUpSettings(service.publicUrl, signIn),
      metrics,
      auditKeys,
      authorizationServer: new AuthorizationServerReachability(new MetadataProbe(config.oauth.issuer), clock),
    };
    const slack = config.slack ? createSlackAdapter({ config: config.slack, deps, logger, clock }) : null;
    if (slack) {
      platforms.register(slack.platform);
      if (slack.mount) mounts.push(slack.mount);
    }
    const teams = config.teams ? createTeamsAdapter({ config: config.teams, deps, logger, clock, references: new StoredConversationReferences(store) }) : null;
    if (teams) {
      platforms.register(teams.platform);
      mounts.push(teams.mount);
    }

    const accessTokens = new LateBoundAccessTokenVerifier();
    const api = createApiAdapter({ deps, config: config.api, verifier: accessTokens, issuer: config.oauth.issuer, publicUrl: service.publicUrl, logger, version: PACKAGE_VERSION });
    mounts.push(api.mount);
    const dashboardSignIn = { authenticator: signIn, redirectUri: `${service.publicUrl}${SIGN_IN_CALLBACK_PATH}`, limits: config.dashboard.sessions };
    const web = createWebAdapter({
      deps,
      publicUrl: service.publicUrl,
      logger,
      formTargets: () => (signInOrigin ? [signInOrigin] : []),
      signIn: () => (personSignIn ? dashboardSignIn : null),
      sessionLimits: config.dashboard.sessions,
      encryptionKeys,
    });
    mounts.push(...web.mounts);

    const jwks = createJwksHandler(botKeys);
    // /metrics on the public port only behind a token, and only when no listener of its own is asked for.
    const publicMetrics: Route[] = metrics && config.metrics.port === null && config.metrics.token ? [metricsRoute(metrics, config.metrics.token)] : [];
    const http = createHttpServer({
      logger,
      routes: [
        ...healthRoutes(store, logger),
        { method: 'GET', path: '/.well-known/jwks.json', handler: (req, res) => jwks(req, res) },
        { method: 'GET', path: api.metadata.path, handler: api.metadata.handler },
        { method: 'GET', path: '/', handler: (req, res) => web.home(req, res, { path: '/' }) },
        ...publicMetrics,
      ],
      mounts,
    });
    const address = await http.listen(service.port, service.host);
    closers.push(() => http.close());
    const url = urlOf(address);
    logger.info({ url, public_url: service.publicUrl }, `listening on ${address.address}:${address.port} (public URL ${service.publicUrl})`);

    let metricsUrl: string | null = null;
    const metricsHttp = metrics && config.metrics.port !== null ? createHttpServer({ logger, routes: [metricsRoute(metrics, config.metrics.token)] }) : null;
    if (metricsHttp) {
      const metricsAddress = await metricsHttp.listen(config.metrics.port!, config.metrics.host);
      closers.push(() => metricsHttp.close());
      metricsUrl = urlOf(metricsAddress);
      logger.info({ url: metricsUrl, token: config.metrics.token !== null }, `metrics: GET ${metricsUrl}/metrics${config.metrics.token ? ' (bearer token required)' : ''}`);
    } else if (publicMetrics.length > 0) {
      logger.info({ url: `${url}/metrics` }, 'metrics: GET /metrics on the public port, bearer token required');
    }

    const connected = await connectAuthorizationServer(config.oauth, { logger, clock, keys: botKeys, metrics }, config.api);
    issuer.bind(connected.issuer);
    if (connected.accessTokens) accessTokens.bind(connected.accessTokens);
    if (connected.personAuthenticator) {
      signIn.bind(connected.personAuthenticator);
      signInOrigin = connected.signInOrigin;
      logger.info({ step_up: 'on', redirect_uri: deps.stepUp!.redirectUri }, `step-up: on — MFA sign-ins at ${config.oauth.issuer}, returning to ${deps.stepUp!.redirectUri} (register it for client ${config.oauth.clientId})`);
    } else {
      // Without it the core refuses step-up at once (step_up_unavailable) instead of sending links that cannot work.
      delete deps.stepUp;
      personSignIn = false;
      logger.warn({ step_up: 'off' }, `step-up: off — ${config.oauth.issuer} has no authorization_endpoint; scopes with an mfa block cannot issue or take approvals that need it`);
    }
    if (personSignIn) logger.info({ dashboard: 'on', redirect_uri: dashboardSignIn.redirectUri }, `dashboard: on at ${service.publicUrl}/ — people sign in at ${config.oauth.issuer}, returning to ${dashboardSignIn.redirectUri} (register it for client ${config.oauth.clientId})`);
    else logger.warn({ dashboard: 'off' }, `dashboard: sign-in off — ${config.oauth.issuer} has no authorization_endpoint, so nobody can sign in to the dashboard`);
    logger.info({ audience: config.api.audience, validation: config.api.tokenValidation }, `api: on at ${service.publicUrl}/api/v1 — bearer tokens from ${config.oauth.issuer} for audience ${config.api.audience}`);
    logger.info(
      { oauth: config.oauth.mode, issuer: config.oauth.issuer },
      config.oauth.mode === 'embedded'
        ? `oauth: embedded DEVELOPMENT authorization server at ${config.oauth.issuer} — not for production; set OAUTH_ISSUER to use yours`
        : `oauth: ${config.oauth.issuer} as client ${config.oauth.clientId}`,
    );
    closers.push(async () => slack?.stop(), async () => teams?.stop());
    await slack?.start();
    await teams?.start();
    for (const chat of config.chat) logger.info({ adapter: chat.platform, enabled: chat.enabled }, `${chat.platform}: ${chat.enabled ? 'on' : 'off'} — ${chat.reason}`);
    await warnOfUnreachableScopes(store, platforms, logger);

    const notifier = platforms.all().length > 0 ? new ChatLifecycleNotifier(deps) : new LogNotifier(logger);
    const sweeper = startSweeper({ schedule: service.sweepSchedule, sweep: () => sweepOnce({ ...deps, notifier }, sweepOptions), logger, metrics });
    const auditStreamer = config.auditStream ? startAuditStream(config.auditStream, { store, clock, logger }) : null;
    if (auditStreamer) metrics?.readAuditStreamFrom(store, AUDIT_WEBHOOK_STREAM);
    if (!auditStreamer) logger.info('audit stream: off — AUDIT_WEBHOOK_URL is not set (set it and AUDIT_WEBHOOK_SECRET to send every audit record to your SIEM as it happens)');
    closers.push(async () => auditStreamer?.stop());

    let stopping: Promise<void> | null = null;
    return {
      url,
      metricsUrl,
      config,
      deps,
      logger,
      auditStreamHolder: auditStreamer?.holder ?? null,
      stop() {
        stopping ??= (async () => {
          logger.info('shutting down: no new requests, finishing in-flight work');
          await sweeper.stop();
          await auditStreamer?.stop();
          api.stop();
          await http.close();
          await metricsHttp?.close();
          await slack?.stop();
          await teams?.stop();
          await devServer?.close?.();
          await store.close();
          logger.info('stopped');
        })();
        return stopping;
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

async function main(): Promise<void> {
  let running: RunningService;
  try {
    running = await startService(process.env, { isTty: process.stdout.isTTY === true });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Elevate cannot start.\n${error.message}\n`);
      process.exit(1);
    }
    const message = isElevateError(error) ? `${error.message} (${error.code})` : error instanceof Error ? error.message : String(error);
    process.stderr.write(`Elevate cannot start: ${message}\n`);
    if (error instanceof Error && ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '')) process.stderr.write(`${error.stack ?? ''}\n`);
    process.exit(1);
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      running.logger.info({ signal }, `received ${signal}`);
      running.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          running.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

/**
 * With at least one chat platform on, a scope whose reviewer channels are all on platforms that
 * are off takes requests that nobody is asked to review: say so at start, once per scope. (With
 * no platform on, the adapters' own lines already say chat is off.)
 */
async function warnOfUnreachableScopes(store: StoreReader, platforms: ChatPlatforms, logger: Logger): Promise<void> {
  const on = new Set(platforms.all().map((platform) => platform.platform));
  if (on.size === 0) return;
  for (const { scopeName, channels } of await findUnreachableScopes(store, on)) {
    const where = channels.map((c) => `${c.platform}:${c.channelId}`);
    const off = [...new Set(channels.map((c) => c.platform))].join(' and ');
    logger.warn(
      { scope: scopeName, channels: where, platforms_on: [...on] },
      `scope ${scopeName}: every reviewer channel is on ${off}, which is off here (${where.join(', ')}); its requests would be stored but posted nowhere. Turn ${off} on or map a channel on ${[...on].join(' or ')}.`,
    );
  }
}

function urlOf(address: AddressInfo): string {
  return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
}

/**
 * The audit stream to AUDIT_WEBHOOK_URL, on its own schedule. Each instance names itself on the
 * stream's lease; the lease outlasts three deliveries' timeouts, so no other instance can take
 * the stream over while this one's batch is still in flight.
 */
function startAuditStream(settings: AuditStreamConfig, deps: { store: Store; clock: Clock; logger: Logger }): RunningAuditStreamer & { holder: string } {
  const sink = new WebhookAuditSink({ url: settings.url, secret: settings.secret, timeoutMs: settings.timeoutMs, clock: deps.clock, userAgent: `Elevate/${PACKAGE_VERSION} audit-stream` });
  const options = {
    stream: AUDIT_WEBHOOK_STREAM,
    holder: `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`,
    batchSize: settings.batchSize,
    leaseMs: Math.max(30_000, 3 * settings.timeoutMs),
    deliveryTimeoutMs: settings.timeoutMs,
    backoff: { baseMs: 2_000, maxMs: 300_000 },
  };
  deps.logger.info({ receiver: sink.description, batch_size: settings.batchSize, schedule: settings.schedule }, `audit stream: on, to ${sink.description} (${settings.schedule})`);
  const streamer = startAuditStreamer({
    schedule: settings.schedule,
    run: (signal) => streamAuditRecords({ ...deps, sink }, options, signal),
    release: () => releaseAuditStream(deps, options),
    logger: deps.logger,
  });
  return Object.assign(streamer, { holder: options.holder });
}

/**
 * A revocation is only started while half of its grant's lease is left, so the lease must be at
 * least twice the longest call to the AS: then no other instance can take the grant over while
 * the call is still running.
 */
function leaseFor(oauthTimeoutMs: number): number {
  return Math.max(DEFAULT_SWEEP_OPTIONS.leaseSec, Math.ceil((3 * oauthTimeoutMs) / 1000));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
