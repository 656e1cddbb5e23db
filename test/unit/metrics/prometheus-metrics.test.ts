import { describe, expect, it } from 'vitest';
import { lagBuckets, PrometheusMetrics } from '../../../src/adapters/metrics/prometheus-metrics.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import type { OperationalCounts } from '../../../src/ports/store.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { parsePrometheusText, valueOf } from '../../support/prometheus-text.ts';

function metrics(): PrometheusMetrics {
  return new PrometheusMetrics({ clock: new FakeClock(), logger: silentLogger(), sweepIntervalSec: 5, overdueAfterSec: 300 });
}

describe('the Prometheus metrics adapter', () => {
  it('places the revocation lag buckets around the sweep interval, up to the overdue alarm', () => {
    expect(lagBuckets(5)).toEqual([0.5, 1, 1.25, 2.5, 5, 7.5, 10, 15, 25, 50, 150, 300]);
    expect(lagBuckets(1)).toEqual([0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30, 60, 300]);
  });

  it('keeps counts on a registry of its own: two instances in one process do not share them', async () => {
    const one = metrics();
    const two = metrics();
    one.auditAppended(3);
    expect(valueOf(parsePrometheusText(await one.scrape()), 'elevate_audit_records_total')).toBe(3);
    expect(valueOf(parsePrometheusText(await two.scrape()), 'elevate_audit_records_total')).toBe(0);
  });

  it('reads the database gauges at each scrape, and says so when the database does not answer', async () => {
    const adapter = metrics();
    let counts: OperationalCounts | Error = { activeGrants: [{ scopeName: 'deploy', count: 2 }], revocationsPending: 3, revocationsOverdue: 1 };
    const asked: { now: Date; overdueBefore: Date }[] = [];
    adapter.readGaugesFrom({
      operationalCounts: async (input) => {
        asked.push(input);
        if (counts instanceof Error) throw counts;
        return counts;
      },
    });
    let families = parsePrometheusText(await adapter.scrape());
    expect(valueOf(families, 'elevate_grants_active', { scope: 'deploy' })).toBe(2);
    expect(valueOf(families, 'elevate_revocations_pending')).toBe(3);
    expect(valueOf(families, 'elevate_revocations_overdue')).toBe(1);
    expect(valueOf(families, 'elevate_store_up')).toBe(1);
    expect(asked[0]!.now.getTime() - asked[0]!.overdueBefore.getTime()).toBe(300_000);

    counts = { activeGrants: [], revocationsPending: 0, revocationsOverdue: 0 };
    families = parsePrometheusText(await adapter.scrape());
    expect(families.get('elevate_grants_active')!.samples).toEqual([]);

    counts = new Error('connection refused');
    families = parsePrometheusText(await adapter.scrape());
    expect(valueOf(families, 'elevate_store_up')).toBe(0);
  });

  it('exports the audit stream\'s backlog and the age of its oldest unsent record only when the stream is on', async () => {
    const clock = new FakeClock(new Date('2026-12-03T10:00:00Z'));
    const adapter = new PrometheusMetrics({ clock, logger: silentLogger(), sweepIntervalSec: 5, overdueAfterSec: 300 });
    adapter.readGaugesFrom({ operationalCounts: async () => ({ activeGrants: [], revocationsPending: 0, revocationsOverdue: 0 }) });
    expect(parsePrometheusText(await adapter.scrape()).has('elevate_audit_stream_records_behind')).toBe(false);
    adapter.readAuditStreamFrom({ getAuditStreamLag: async () => ({ cursorSeq: 10, headSeq: 14, behind: 4, oldestUnsentAt: new Date('2026-12-03T09:59:30Z') }) }, 'webhook');
    const families = parsePrometheusText(await adapter.scrape());
    expect(valueOf(families, 'elevate_audit_stream_records_behind')).toBe(4);
    expect(valueOf(families, 'elevate_audit_stream_lag_seconds')).toBe(30);
  });

  it('observes the lag only of grants that expired, and counts every revocation by reason', async () => {
    const adapter = metrics();
    adapter.grantRevoked('expired', 1.2);
    adapter.grantRevoked('ended_by_requester', -3000);
    const families = parsePrometheusText(await adapter.scrape());
    expect(valueOf(families, 'elevate_revocation_lag_seconds_count')).toBe(1);
    expect(valueOf(families, 'elevate_revocation_lag_seconds_bucket', { le: '1.25' })).toBe(1);
    expect(valueOf(families, 'elevate_revocation_lag_seconds_bucket', { le: '1' })).toBe(0);
    expect(valueOf(families, 'elevate_grants_revoked_total', { reason: 'ended_by_requester' })).toBe(1);
  });
});
