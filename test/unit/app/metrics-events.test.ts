import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/adapters/store/memory/memory-store.ts';
import { endGrant } from '../../../src/app/end-grant.ts';
import { issueGrant } from '../../../src/app/issue-grant.ts';
import { requestElevation } from '../../../src/app/request-elevation.ts';
import { reviewRequest } from '../../../src/app/review-request.ts';
import { sweepOnce } from '../../../src/app/sweep.ts';
import { T0 } from '../../support/builders.ts';
import { coreHarness, slackUser, type CoreHarness } from '../../support/core-harness.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { RecordingMetrics } from '../../support/recording-metrics.ts';
import { RecordingNotifier } from '../../support/recording-notifier.ts';

async function harness(): Promise<CoreHarness & { metrics: RecordingMetrics }> {
  const metrics = new RecordingMetrics();
  const clock = new FakeClock(T0);
  const h = await coreHarness({ store: new MemoryStore(clock, null, metrics) });
  // The harness made its own clock; the store stamps audit records with this one, which is fine here.
  return { ...h, clock, metrics };
}

const ask = (h: CoreHarness, input: { scopeName?: string; duration?: string; reason?: string } = {}) =>
  requestElevation(h, { actor: slackUser('alice'), scopeName: input.scopeName ?? 'prod-db-admin', duration: input.duration ?? '1h', reason: input.reason ?? 'INC-5', source: 'slack' });

describe('the events the use cases report for metrics', () => {
  it('counts a request sent to review, a decision with its time since the request, the issue and the revocation', async () => {
    const h = await harness();
    const { request } = await ask(h);
    expect(h.metrics.of('requestSubmitted')).toEqual([['prod-db-admin', 'slack', 'review']]);
    h.clock.advance(90);
    await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    expect(h.metrics.of('decided')).toEqual([['approved', 90]]);
    const { grant } = await issueGrant(h, request.id);
    expect(h.metrics.of('grantIssued')).toEqual([['prod-db-admin', 'issued']]);
    h.clock.advance(60);
    await endGrant(h, grant.id, 'ended_by_requester', 'alice');
    expect(h.metrics.of('grantRevoked')).toEqual([['ended_by_requester', expect.any(Number)]]);
    expect(h.metrics.of('grantRevoked')[0]![1]).toBeLessThan(0);
    expect(h.metrics.of('auditAppended').reduce((sum, [count]) => sum + count, 0)).toBe((await h.store.listAudit(0, 1000)).length);
  });

  it('counts the lag of a grant the sweeper revokes at the end of its window', async () => {
    const h = await harness();
    const { request } = await ask(h, { duration: '10m' });
    await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    await issueGrant(h, request.id);
    h.clock.advance(600 + 3);
    await sweepOnce({ ...h, notifier: new RecordingNotifier() });
    expect(h.metrics.of('grantRevoked')).toEqual([['expired', 3]]);
  });

  it('counts refusals under the scope only once one the requester may use was found, and nothing for a dry run', async () => {
    const h = await harness();
    await ask(h, { scopeName: 'typed <by> a person' }).catch(() => undefined);
    await ask(h, { duration: '9h' }).catch(() => undefined);
    await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', reason: 'INC-5', source: 'slack' }, { dryRun: true });
    await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '9h', reason: 'INC-5', source: 'slack' }, { dryRun: true }).catch(() => undefined);
    expect(h.metrics.of('requestSubmitted')).toEqual([
      ['unknown', 'slack', 'refused'],
      ['prod-db-admin', 'slack', 'refused'],
    ]);
  });

  it('counts a failed token exchange', async () => {
    const h = await harness();
    const { request } = await ask(h);
    await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'deny', comment: 'no' });
    expect(h.metrics.of('decided')).toEqual([['denied', 0]]);
    const { request: second } = await ask(h);
    await reviewRequest(h, { requestId: second.id, actor: slackUser('bob'), decision: 'approve' });
    h.issuer.failNextExchanges = 1;
    await issueGrant(h, second.id).catch(() => undefined);
    expect(h.metrics.of('grantIssued')).toEqual([['prod-db-admin', 'failed']]);
  });
});
