import { describe, expect, it } from 'vitest';
import { issueGrant } from '../../../src/app/issue-grant.ts';
import { requestElevation } from '../../../src/app/request-elevation.ts';
import { reviewRequest } from '../../../src/app/review-request.ts';
import { MAX_UNRECORDED_BATCHES } from '../../../src/app/revoke-due-grants.ts';
import { DEFAULT_SWEEP_OPTIONS, sweepOnce, type SweepOptions } from '../../../src/app/sweep.ts';
import { coreHarness, slackUser, type CoreHarness } from '../../support/core-harness.ts';
import { RecordingNotifier } from '../../support/recording-notifier.ts';

async function activeGrant(h: CoreHarness, duration = '1h') {
  const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration, reason: 'INC-5', source: 'slack' });
  await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
  return (await issueGrant(h, request.id)).grant;
}

const options: SweepOptions = { ...DEFAULT_SWEEP_OPTIONS, batchSize: 3, concurrency: 2 };

describe('sweepOnce', () => {
  it('revokes a grant exactly at the end of its window, not a millisecond before', async () => {
    const h = await coreHarness();
    const notifier = new RecordingNotifier();
    const grant = await activeGrant(h);
    h.clock.set(new Date(grant.endsAt.getTime() - 1));
    expect((await sweepOnce({ ...h, notifier }, options)).revoked).toBe(0);
    h.clock.set(grant.endsAt);
    const report = await sweepOnce({ ...h, notifier }, options);
    expect(report).toMatchObject({ revoked: 1, lagsMs: [0] });
    expect(await h.store.getGrant(grant.id)).toMatchObject({ status: 'revoked', endReason: 'expired', tokenSealed: null, revocationLagMs: 0 });
    expect(h.issuer.live.size).toBe(0);
    expect(notifier.notices).toEqual([{ kind: 'grantEnded', id: grant.id }]);
    expect((await sweepOnce({ ...h, notifier }, options)).revoked).toBe(0);
  });

  it('works through more due grants than one batch holds', async () => {
    const h = await coreHarness({ scope: { requesters: ['*'], policy: { autoApprove: true, allowedHoursUtc: null, maxRequestsPerDay: null, dormantAfterDays: null } } });
    const grants = [];
    for (let i = 0; i < 7; i += 1) {
      const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '15m', reason: 'INC-5', source: 'api' });
      grants.push((await issueGrant(h, request.id)).grant);
    }
    h.clock.advance(15 * 60 + 2);
    const report = await sweepOnce({ ...h, notifier: new RecordingNotifier() }, options);
    expect(report.revoked).toBe(7);
    expect(new Set(h.issuer.revoked).size).toBe(7);
  });

  it('records every revocation when answers arrive out of order while batches are being recorded', async () => {
    const h = await coreHarness({ scope: { requesters: ['*'], policy: { autoApprove: true, allowedHoursUtc: null, maxRequestsPerDay: null, dormantAfterDays: null } } });
    const grants = [];
    for (let i = 0; i < 40; i += 1) {
      const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '15m', reason: 'INC-5', source: 'api' });
      grants.push((await issueGrant(h, request.id)).grant);
    }
    h.clock.advance(15 * 60 + 2);
    h.issuer.revokeDelayMs = (n) => (n * 7) % 5;
    const report = await sweepOnce({ ...h, notifier: new RecordingNotifier() }, { ...options, batchSize: 5, concurrency: 4 });
    expect(report.revoked).toBe(40);
    expect(await h.store.listGrants({ statuses: ['revoked'] })).toHaveLength(40);
    expect(h.issuer.live.size).toBe(0);
  });

  it('records a mass expiry a full batch per transaction while revocations go on, and the rest once all are sent', async () => {
    const h = await coreHarness({ scope: { requesters: ['*'], policy: { autoApprove: true, allowedHoursUtc: null, maxRequestsPerDay: null, dormantAfterDays: null } } });
    for (let i = 0; i < 12; i += 1) {
      const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '15m', reason: 'INC-5', source: 'api' });
      await issueGrant(h, request.id);
    }
    h.clock.advance(15 * 60 + 2);
    const events: string[] = [];
    h.issuer.onRevoke = () => events.push('revoke');
    const transaction = h.store.transaction.bind(h.store);
    h.store.transaction = (work) =>
      transaction((tx) =>
        work(
          new Proxy(tx, {
            get(target, name) {
              if (name === 'markGrantsRevoked') return (revocations: unknown[]) => (events.push(`record ${revocations.length}`), target.markGrantsRevoked(revocations as never));
              const value = Reflect.get(target, name) as unknown;
              return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
            },
          }),
        ),
      );
    const report = await sweepOnce({ ...h, notifier: new RecordingNotifier() }, { ...options, batchSize: 5, concurrency: 3 });
    expect(report.revoked).toBe(12);
    expect(events.filter((e) => e.startsWith('record'))).toEqual(['record 5', 'record 5', 'record 2']);
    // The first batch is recorded as soon as it is full, before the last revocation is sent;
    // the last, partial one only after every revocation.
    expect(events.indexOf('record 5')).toBeLessThan(events.lastIndexOf('revoke'));
    expect(events.indexOf('record 2')).toBeGreaterThan(events.lastIndexOf('revoke'));
  });

  it('claims no further while more than two batches of revoked grants wait to be recorded, so a slow store bounds what is held', async () => {
    const h = await coreHarness({ scope: { requesters: ['*'], policy: { autoApprove: true, allowedHoursUtc: null, maxRequestsPerDay: null, dormantAfterDays: null } } });
    for (let i = 0; i < 60; i += 1) {
      const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '15m', reason: 'INC-5', source: 'api' });
      await issueGrant(h, request.id);
    }
    h.clock.advance(15 * 60 + 2);
    // The AS answers at once; each recording is answered 20 ms after its commit (a busy database).
    let sent = 0;
    let recorded = 0;
    let mostUnrecorded = 0;
    h.issuer.onRevoke = () => {
      sent += 1;
      mostUnrecorded = Math.max(mostUnrecorded, sent - recorded);
    };
    const transaction = h.store.transaction.bind(h.store);
    h.store.transaction = async (work) => {
      let marked = 0;
      const result = await transaction((tx) =>
        work(
          new Proxy(tx, {
            get(target, name) {
              if (name === 'markGrantsRevoked') return (revocations: unknown[]) => ((marked += revocations.length), target.markGrantsRevoked(revocations as never));
              const value = Reflect.get(target, name) as unknown;
              return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
            },
          }),
        ),
      );
      if (marked > 0) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        recorded += marked;
      }
      return result;
    };
    const batchSize = 5;
    const report = await sweepOnce({ ...h, notifier: new RecordingNotifier() }, { ...options, batchSize, concurrency: 4 });
    expect(report.revoked).toBe(60);
    expect(await h.store.listGrants({ statuses: ['revoked'] })).toHaveLength(60);
    // Two batches unrecorded, plus what the last claim brought (at most half a batch was left, and one batch more).
    expect(mostUnrecorded).toBeLessThanOrEqual((MAX_UNRECORDED_BATCHES + 1.5) * batchSize + 1);
    expect(mostUnrecorded).toBeGreaterThan(batchSize);
  });

  it('leaves a claimed grant whose lease is running out to the next claim instead of revoking it twice at once', async () => {
    const h = await coreHarness({ scope: { requesters: ['*'], policy: { autoApprove: true, allowedHoursUtc: null, maxRequestsPerDay: null, dormantAfterDays: null } } });
    for (let i = 0; i < 10; i += 1) {
      const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '15m', reason: 'INC-5', source: 'api' });
      await issueGrant(h, request.id);
    }
    h.clock.advance(15 * 60 + 2);
    // Every answer takes 20 s of (fake) time: the third grant of a batch has under half its 60 s lease left.
    h.issuer.onRevoke = () => h.clock.advance(20);
    const first = await sweepOnce({ ...h, notifier: new RecordingNotifier() }, { ...options, batchSize: 5, concurrency: 1, leaseSec: 60 });
    expect(first.revoked).toBeLessThan(10);
    for (const grant of await h.store.listGrants({ statuses: ['revoking'] })) expect(grant.nextAttemptAt!.getTime()).toBeGreaterThan(h.clock.now().getTime() - 60_000);
    h.issuer.onRevoke = null;
    h.clock.advance(61);
    const second = await sweepOnce({ ...h, notifier: new RecordingNotifier() }, { ...options, batchSize: 5, concurrency: 1, leaseSec: 60 });
    expect(first.revoked + second.revoked).toBe(10);
    expect(await h.store.listGrants({ statuses: ['revoked'] })).toHaveLength(10);
    expect(new Set(h.issuer.revoked).size).toBe(h.issuer.revoked.length);
  });

  it('retries a failed revocation with backoff, alerts when overdue, and never forgets the grant', async () => {
    const h = await coreHarness();
    const notifier = new RecordingNotifier();
    const grant = await activeGrant(h);
    h.clock.set(grant.endsAt);
    h.issuer.failNextRevocations = 100;
    expect((await sweepOnce({ ...h, notifier }, options)).revocationPending).toBe(1);
    const pending = await h.store.getGrant(grant.id);
    expect(pending).toMatchObject({ status: 'revoking', revokeAttempts: 1 });
    // Not due again until the backoff has passed.
    expect((await sweepOnce({ ...h, notifier }, options)).revocationPending).toBe(0);
    h.clock.set(pending!.nextAttemptAt!);
    expect((await sweepOnce({ ...h, notifier }, options)).revocationPending).toBe(1);
    expect((await h.store.getGrant(grant.id))?.revokeAttempts).toBe(2);

    h.clock.advance(options.overdueAlertSec + 600);
    await sweepOnce({ ...h, notifier }, options);
    expect(notifier.notices).toContainEqual({ kind: 'revocationOverdue', id: grant.id });

    h.issuer.failNextRevocations = 0;
    h.clock.advance(3600);
    const report = await sweepOnce({ ...h, notifier }, options);
    expect(report.revoked).toBe(1);
    expect((await h.store.getGrant(grant.id))?.revocationLagMs).toBe(h.clock.now().getTime() - grant.endsAt.getTime());
  });

  it('expires unreviewed requests at their TTL and tells the notifier', async () => {
    const h = await coreHarness();
    const notifier = new RecordingNotifier();
    const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-5', source: 'slack' });
    h.clock.set(request.pendingUntil);
    expect((await sweepOnce({ ...h, notifier }, options)).expiredRequests).toBe(1);
    expect(notifier.notices).toEqual([{ kind: 'requestExpired', id: request.id }]);
  });

  it('marks an exchange interrupted by a crash as failed, so the request is never granted twice', async () => {
    const h = await coreHarness();
    const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-5', source: 'slack' });
    await reviewRequest(h, { requestId: request.id, actor: slackUser('bob'), decision: 'approve' });
    // The crash: the issuing intent was committed, the exchange never recorded.
    await h.store.transaction(async (tx) => {
      await tx.insertGrant({ ...(await import('../../../src/domain/grant.ts')).newGrant({ id: 'g-crashed', requestId: request.id, startsAt: h.clock.now(), durationSec: 3600 }) });
    });
    h.clock.advance(options.issuingStaleSec - 1);
    expect((await sweepOnce({ ...h, notifier: new RecordingNotifier() }, options)).interruptedIssues).toBe(0);
    h.clock.advance(2);
    expect((await sweepOnce({ ...h, notifier: new RecordingNotifier() }, options)).interruptedIssues).toBe(1);
    expect(await h.store.getGrant('g-crashed')).toMatchObject({ status: 'issue_failed', lastError: 'interrupted' });
    expect((await issueGrant(h, request.id)).created).toBe(false);
    expect(h.issuer.exchanges).toHaveLength(0);
  });

  it('keeps going when a notice cannot be delivered', async () => {
    const h = await coreHarness();
    const grant = await activeGrant(h);
    h.clock.set(grant.endsAt);
    const failing = new RecordingNotifier();
    failing.grantEnded = async () => {
      throw new Error('chat is down');
    };
    expect((await sweepOnce({ ...h, notifier: failing }, options)).revoked).toBe(1);
  });
});
