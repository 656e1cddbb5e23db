import type { Metrics } from '../../src/ports/metrics.ts';

/** One reported event: the method's name and its arguments. */
export type MetricEvent = { [K in keyof Metrics]: [K, ...Parameters<Metrics[K]>] }[keyof Metrics];

/** {@link Metrics} that remembers every event, for tests of who reports what. */
export class RecordingMetrics implements Metrics {
  readonly events: MetricEvent[] = [];

  of<K extends keyof Metrics>(kind: K): Parameters<Metrics[K]>[] {
    return this.events.filter((event) => event[0] === kind).map((event) => event.slice(1) as Parameters<Metrics[K]>);
  }

  requestSubmitted(...args: Parameters<Metrics['requestSubmitted']>): void {
    this.events.push(['requestSubmitted', ...args]);
  }
  decided(...args: Parameters<Metrics['decided']>): void {
    this.events.push(['decided', ...args]);
  }
  grantIssued(...args: Parameters<Metrics['grantIssued']>): void {
    this.events.push(['grantIssued', ...args]);
  }
  grantRevoked(...args: Parameters<Metrics['grantRevoked']>): void {
    this.events.push(['grantRevoked', ...args]);
  }
  sweepFinished(...args: Parameters<Metrics['sweepFinished']>): void {
    this.events.push(['sweepFinished', ...args]);
  }
  oauthCall(...args: Parameters<Metrics['oauthCall']>): void {
    this.events.push(['oauthCall', ...args]);
  }
  chatApiError(...args: Parameters<Metrics['chatApiError']>): void {
    this.events.push(['chatApiError', ...args]);
  }
  chatRateLimitWait(...args: Parameters<Metrics['chatRateLimitWait']>): void {
    this.events.push(['chatRateLimitWait', ...args]);
  }
  auditAppended(...args: Parameters<Metrics['auditAppended']>): void {
    this.events.push(['auditAppended', ...args]);
  }
}
