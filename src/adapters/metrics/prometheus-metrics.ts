import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../../domain/clock.ts';
import type { GrantEndReason } from '../../domain/grant.ts';
import type { ChatPlatform } from '../../domain/principal.ts';
import type { RequestSource } from '../../domain/request.ts';
import type { Logger } from '../../logging/logger.ts';
import type { DecisionOutcome, IssueOutcome, Metrics, OAuthCallOperation, OAuthCallOutcome, RequestOutcome } from '../../ports/metrics.ts';
import type { StoreReader } from '../../ports/store.ts';

export interface PrometheusMetricsOptions {
  clock: Clock;
  logger: Logger;
  /** The sweeper's interval: the revocation lag histogram's buckets are placed around it. */
  sweepIntervalSec: number;
  /** A revocation still owed this long after its grant's end counts as overdue (the sweeper's alert threshold). */
  overdueAfterSec: number;
}

/** What an HTTP route needs to answer a scrape, without knowing prom-client. */
export interface MetricsScrape {
  readonly contentType: string;
  /** The exposition text, with the database's gauges read now. */
  scrape(): Promise<string>;
}

/**
 * The {@link Metrics} port in Prometheus terms, on a registry of its own (never prom-client's
 * global one, so two services in one process, as in tests, do not share counts), with Node's
 * default process metrics. Counters and histograms count this instance's events; the gauges that
 * describe the database are read from the store at each scrape, so every instance reports the
 * same figures.
 */
export class PrometheusMetrics implements Metrics, MetricsScrape {
  readonly registry = new Registry();
  readonly contentType: string;

  private readonly requests: Counter<'scope' | 'source' | 'outcome'>;
  private readonly decisions: Histogram<'outcome'>;
  private readonly issues: Counter<'scope' | 'outcome'>;
  private readonly revocations: Counter<'reason'>;
  private readonly revocationLag: Histogram;
  private readonly sweeps: Histogram;
  private readonly oauth: Histogram<'operation' | 'outcome'>;
  private readonly chatErrors: Counter<'platform' | 'method' | 'error'>;
  private readonly rateLimitWaits: Counter<'platform' | 'method'>;
  private readonly rateLimitWaitSeconds: Counter<'platform' | 'method'>;
  private readonly audit: Counter;
  private readonly grantsActive: Gauge<'scope'>;
  private readonly revocationsPending: Gauge;
  private readonly revocationsOverdue: Gauge;
  private readonly storeUp: Gauge;
  private store: Pick<StoreReader, 'operationalCounts'> | null = null;
  private auditStream: { store: Pick<StoreReader, 'getAuditStreamLag'>; name: string; behind: Gauge; lag: Gauge } | null = null;

  constructor(private readonly options: PrometheusMetricsOptions) {
    const registers = [this.registry];
    this.contentType = this.registry.contentType;
    collectDefaultMetrics({ register: this.registry });

    this.requests = new Counter({
      name: 'elevate_requests_total',
      help: 'Elevation requests submitted, by scope, where they came from, and what became of them (review, auto_approved, auto_denied, refused, failed).',
      labelNames: ['scope', 'source', 'outcome'],
      registers,
    });
    this.decisions = new Histogram({
      name: 'elevate_decision_seconds',
      help: 'Time from a request to the reviewers\u2019 decision (approved or denied).',
      labelNames: ['outcome'],
      buckets: [10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14_400, 28_800, 86_400],
      registers,
    });
    this.issues = new Counter({
      name: 'elevate_grants_issued_total',
      help: 'Token exchanges for approved requests, by scope and outcome (issued, failed).',
      labelNames: ['scope', 'outcome'],
      registers,
    });
    this.revocations = new Counter({
      name: 'elevate_grants_revoked_total',
      help: 'Revocations the authorization server confirmed, by why the grant ended.',
      labelNames: ['reason'],
      registers,
    });
    this.revocationLag = new Histogram({
      name: 'elevate_revocation_lag_seconds',
      help: 'Time from the end of a grant\u2019s window to the authorization server\u2019s confirmed revocation, for grants that expired.',
      buckets: lagBuckets(options.sweepIntervalSec),
      registers,
    });
    this.sweeps = new Histogram({
      name: 'elevate_sweep_duration_seconds',
      help: 'Duration of one run of the sweeper (expiry, revocation, reconciliation).',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.oauth = new Histogram({
      name: 'elevate_oauth_request_seconds',
      help: 'Calls to the authorization server, by operation (discovery, exchange, revocation, introspection) and outcome (ok or the failure\u2019s class).',
      labelNames: ['operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.chatErrors = new Counter({
      name: 'elevate_chat_api_errors_total',
      help: 'Failed calls to a chat platform\u2019s API, by platform, method and a closed class of error.',
      labelNames: ['platform', 'method', 'error'],
      registers,
    });
    this.rateLimitWaits = new Counter({
      name: 'elevate_chat_rate_limit_waits_total',
      help: 'Calls a chat platform\u2019s rate limit (HTTP 429) held back, by platform and method.',
      labelNames: ['platform', 'method'],
      registers,
    });
    this.rateLimitWaitSeconds = new Counter({
      name: 'elevate_chat_rate_limit_wait_seconds_total',
      help: 'Seconds the chat platforms\u2019 Retry-After asked calls to wait, by platform and method.',
      labelNames: ['platform', 'method'],
      registers,
    });
    this.audit = new Counter({ name: 'elevate_audit_records_total', help: 'Audit records this instance appended to the trail.', registers });
    this.grantsActive = new Gauge({
      name: 'elevate_grants_active',
      help: 'Grants live now (issued and within their window), by scope; read from the database at each scrape.',
      labelNames: ['scope'],
      registers,
    });
    this.revocationsPending = new Gauge({
      name: 'elevate_revocations_pending',
      help: 'Grants past their end (or ended early) whose revocation the authorization server has not confirmed yet; read from the database.',
      registers,
    });
    this.revocationsOverdue = new Gauge({
      name: 'elevate_revocations_overdue',
      help: `Pending revocations whose grant ended more than ${options.overdueAfterSec} s ago; read from the database. Anything above 0 needs a person.`,
      registers,
    });
    this.storeUp = new Gauge({ name: 'elevate_store_up', help: '1 when this scrape read the database gauges, 0 when the database did not answer (they then show their last figures).', registers });
  }

  /**
   * Where the gauges that describe the database are read at each scrape. Bound after
   * construction because the store itself reports its audit appends to these metrics.
   */
  readGaugesFrom(store: Pick<StoreReader, 'operationalCounts'>): void {
    this.store = store;
  }

  /** With the audit stream on (only then are its gauges exported): its lag is read from the store at each scrape too. */
  readAuditStreamFrom(store: Pick<StoreReader, 'getAuditStreamLag'>, name: string): void {
    const registers = [this.registry];
    const behind = new Gauge({
      name: 'elevate_audit_stream_records_behind',
      help: 'Audit records the audit stream\u2019s receiver (AUDIT_WEBHOOK_URL) has not accepted yet; read from the database.',
      registers,
    });
    const lag = new Gauge({
      name: 'elevate_audit_stream_lag_seconds',
      help: 'Age of the oldest audit record the audit stream\u2019s receiver has not accepted yet, 0 when it has them all; read from the database.',
      registers,
    });
    this.auditStream = { store, name, behind, lag };
  }

  requestSubmitted(scope: string, source: RequestSource, outcome: RequestOutcome): void {
    this.requests.inc({ scope, source, outcome });
  }

  decided(outcome: DecisionOutcome, seconds: number): void {
    this.decisions.observe({ outcome }, Math.max(0, seconds));
  }

  grantIssued(scope: string, outcome: IssueOutcome): void {
    this.issues.inc({ scope, outcome });
  }

  grantRevoked(reason: GrantEndReason, lagSeconds: number): void {
    this.revocations.inc({ reason });
    // A grant ended early is revoked before its window's end: its "lag" says nothing of the sweeper.
    if (reason === 'expired') this.revocationLag.observe(Math.max(0, lagSeconds));
  }

  sweepFinished(seconds: number): void {
    this.sweeps.observe(seconds);
  }

  oauthCall(operation: OAuthCallOperation, outcome: OAuthCallOutcome, seconds: number): void {
    this.oauth.observe({ operation, outcome }, seconds);
  }

  chatApiError(platform: ChatPlatform, method: string, error: string): void {
    this.chatErrors.inc({ platform, method, error });
  }

  chatRateLimitWait(platform: ChatPlatform, method: string, seconds: number): void {
    this.rateLimitWaits.inc({ platform, method });
    this.rateLimitWaitSeconds.inc({ platform, method }, Math.max(0, seconds));
  }

  auditAppended(count: number): void {
    this.audit.inc(count);
  }

  /**
   * Reads the database's gauges, then renders everything. When the database does not answer,
   * `elevate_store_up` says 0, those gauges keep their last figures (a false 0 overdue would be
   * worse), the rest is still served, and the failure is logged.
   */
  async scrape(): Promise<string> {
    const now = this.options.clock.now();
    const store = this.store;
    const counts = await (store ? store.operationalCounts({ now, overdueBefore: new Date(now.getTime() - this.options.overdueAfterSec * 1000) }) : Promise.reject(new Error('no store is bound'))).catch((error: unknown) => {
      this.options.logger.warn({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'metrics: the database gauges could not be read for this scrape');
      return null;
    });
    this.storeUp.set(counts ? 1 : 0);
    if (counts) {
      // Reset and set with no await between, so a concurrent scrape never sees half of it.
      this.grantsActive.reset();
      for (const { scopeName, count } of counts.activeGrants) this.grantsActive.set({ scope: scopeName }, count);
      this.revocationsPending.set(counts.revocationsPending);
      this.revocationsOverdue.set(counts.revocationsOverdue);
    }
    const stream = this.auditStream;
    if (stream && counts) {
      const lag = await stream.store.getAuditStreamLag(stream.name).catch(() => null);
      if (lag) {
        stream.behind.set(lag.behind);
        stream.lag.set(lag.oldestUnsentAt ? Math.max(0, (now.getTime() - lag.oldestUnsentAt.getTime()) / 1000) : 0);
      }
    }
    return this.registry.metrics();
  }
}

/**
 * Buckets of the revocation lag placed around the sweep interval: a grant is revoked at its end
 * when the sweeper's wake-up catches it, within one interval when a tick does, and much later
 * only when the AS refuses or is down, up to the overdue alarm's five minutes and beyond.
 */
export function lagBuckets(intervalSec: number): number[] {
  const multiples = [0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30, 60];
  const fixed = [1, 300];
  return [...new Set([...multiples.map((m) => round(m * intervalSec)), ...fixed])].filter((b) => b > 0).sort((a, b) => a - b);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
