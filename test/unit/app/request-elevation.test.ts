import { describe, expect, it } from 'vitest';
import { requestElevation } from '../../../src/app/request-elevation.ts';
import { isElevateError, type ErrorCode } from '../../../src/domain/errors.ts';
import { EMPTY_POLICY, type ScopeDefinition } from '../../../src/domain/scope.ts';
import { coreHarness, slackUser } from '../../support/core-harness.ts';

async function expectRejected(promise: Promise<unknown>, code: ErrorCode, text?: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isElevateError(error), `expected an ElevateError ${code}, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  if (text) expect((error as Error).message).toMatch(text);
}

describe('requestElevation', () => {
  it('stores a valid request as pending with its review window and one audit event', async () => {
    const h = await coreHarness();
    const { request, decision } = await requestElevation(h, {
      actor: slackUser('alice'),
      scopeName: 'prod-db-admin',
      duration: '1h30m',
      reason: 'INC-42 disk full',
      source: 'slack',
    });
    expect(decision.outcome).toBe('review');
    expect(request).toMatchObject({ status: 'pending', requesterId: 'alice', durationSec: 5400, approvalsRequired: 1 });
    expect(request.pendingUntil.getTime() - request.createdAt.getTime()).toBe(3600 * 1000);
    expect(await h.store.getRequest(request.id)).toEqual(request);
    const audit = await h.store.listAudit(0, 100);
    expect(audit.map((r) => r.type)).toEqual(['request.created']);
    expect(audit[0]).toMatchObject({ actor: 'alice', requestId: request.id });
  });

  it('uses the scope default duration when none is given', async () => {
    const h = await coreHarness({ scope: { defaultDurationSec: 900 } });
    const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', reason: 'INC-1', source: 'api' });
    expect(request.durationSec).toBe(900);
  });

  const rejections: { name: string; scope?: Partial<ScopeDefinition>; actor?: ReturnType<typeof slackUser>; scopeName?: string; duration?: string; reason?: string; code: ErrorCode; text: RegExp; unmapped?: boolean }[] = [
    { name: 'an unknown scope, listing the ones the user can request', scopeName: 'prod-db-root', code: 'unknown_scope', text: /no scope called "prod-db-root".*Scopes you can request: prod-db-admin/ },
    { name: 'a requester outside the scope’s requesters', scope: { requesters: ['carol'] }, code: 'not_allowed_to_request', text: /not allowed to request prod-db-admin/ },
    { name: 'a chat account with no link to a principal', actor: { platform: 'slack', userId: 'U-STRANGER' }, code: 'unknown_identity', text: /not linked.*U-STRANGER/ },
    { name: 'a duration that is not a duration', duration: 'soon', code: 'duration_invalid', text: /for example 15m, 1h or 1h30m/ },
    { name: 'a zero duration', duration: '0m', code: 'duration_invalid', text: /longer than zero/ },
    { name: 'a duration over the scope maximum, saying the maximum', duration: '5h', code: 'duration_too_long', text: /5h is longer than prod-db-admin allows; ask for 4h or less/ },
    { name: 'a missing reason', reason: '   ', code: 'reason_required', text: /Say why/ },
    { name: 'a reason that misses the scope pattern', scope: { reasonPattern: '^[A-Z]+-\\d+' }, reason: 'just because', code: 'reason_mismatch', text: /must match/ },
    { name: 'an over-long reason', reason: 'x'.repeat(501), code: 'invalid_input', text: /too long/ },
    { name: 'a scope without any reviewer channel', unmapped: true, code: 'no_reviewer_channel', text: /no reviewer channel/ },
  ];

  for (const c of rejections) {
    it(`rejects ${c.name} and stores nothing`, async () => {
      const h = await coreHarness({ scope: c.scope });
      if (c.unmapped) {
        await h.store.transaction(async (tx) => {
          await tx.removeChannelMapping({ platform: 'slack', channelId: 'C-REVIEWERS', scopeName: 'prod-db-admin' });
        });
      }
      const before = (await h.store.listAudit(0, 100)).length;
      await expectRejected(
        requestElevation(h, {
          actor: c.actor ?? slackUser('alice'),
          scopeName: c.scopeName ?? 'prod-db-admin',
          duration: c.duration ?? '1h',
          reason: c.reason ?? 'INC-7 rotate keys',
          source: 'slack',
        }),
        c.code,
        c.text,
      );
      expect(await h.store.listRequests({})).toEqual([]);
      expect((await h.store.listAudit(0, 100)).length).toBe(before);
    });
  }

  describe('dry run', () => {
    for (const c of rejections) {
      it(`refuses ${c.name} exactly as the request would, and stores nothing`, async () => {
        const h = await coreHarness({ scope: c.scope });
        if (c.unmapped) await h.store.transaction((tx) => tx.removeChannelMapping({ platform: 'slack', channelId: 'C-REVIEWERS', scopeName: 'prod-db-admin' }).then(() => undefined));
        const before = (await h.store.listAudit(0, 100)).length;
        const input = { actor: c.actor ?? slackUser('alice'), scopeName: c.scopeName ?? 'prod-db-admin', duration: c.duration ?? '1h', reason: c.reason ?? 'INC-7 rotate keys', source: 'slack' as const };
        await expectRejected(requestElevation(h, input, { dryRun: true }), c.code, c.text);
        expect(await h.store.listRequests({})).toEqual([]);
        expect((await h.store.listAudit(0, 100)).length).toBe(before);
      });
    }

    it('answers what the request would be and writes nothing: no request, no audit event, no activity', async () => {
      const h = await coreHarness({ scope: { policy: { ...EMPTY_POLICY, autoApprove: true } } });
      const before = await h.store.getPrincipal('alice');
      const check = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '45m', reason: ' INC-8\tlogs ', source: 'slack' }, { dryRun: true });
      expect(check).toMatchObject({ scope: { name: 'prod-db-admin' }, requester: { id: 'alice' }, durationSec: 2700, reason: 'INC-8 logs', decision: { outcome: 'auto_approve' } });
      expect(await h.store.listRequests({})).toEqual([]);
      expect(await h.store.listAudit(0, 100)).toEqual([]);
      expect(await h.store.getPrincipal('alice')).toEqual(before);
    });
  });

  it('turns control characters in the reason into spaces so they cannot forge log lines', async () => {
    const h = await coreHarness();
    const { request } = await requestElevation(h, {
      actor: slackUser('alice'),
      scopeName: 'prod-db-admin',
      duration: '1h',
      reason: 'INC-9\n{"level":60,"msg":"forged"}\r',
      source: 'slack',
    });
    expect(request.reason).toBe('INC-9 {"level":60,"msg":"forged"}');
  });

  describe('policy', () => {
    it('auto-approves when the scope says so, recording the decision by policy', async () => {
      const h = await coreHarness({ scope: { policy: { ...EMPTY_POLICY, autoApprove: true } } });
      const { request } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-1', source: 'slack' });
      expect(request.status).toBe('auto_approved');
      expect(request.decidedAt).toEqual(h.clock.now());
      expect((await h.store.listAudit(0, 10)).map((r) => [r.type, r.actor])).toEqual([
        ['request.created', 'alice'],
        ['request.auto_approved', 'policy'],
      ]);
    });

    it('auto-denies outside the allowed hours, with the reason shown to the requester', async () => {
      const h = await coreHarness({ scope: { policy: { ...EMPTY_POLICY, allowedHoursUtc: { start: '10:00', end: '18:00' } } } });
      const { request, decision } = await requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-1', source: 'slack' });
      expect(decision).toMatchObject({ outcome: 'auto_deny', rule: 'outside_hours' });
      expect(request).toMatchObject({ status: 'auto_denied', decisionNote: 'Scope prod-db-admin can only be requested between 10:00 and 18:00 UTC.' });
    });

    it('auto-denies over the daily rate limit and counts only the last 24 hours', async () => {
      const h = await coreHarness({ scope: { policy: { ...EMPTY_POLICY, maxRequestsPerDay: 2 } } });
      const ask = () => requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-1', source: 'slack' });
      expect((await ask()).request.status).toBe('pending');
      expect((await ask()).request.status).toBe('pending');
      expect((await ask()).decision).toMatchObject({ outcome: 'auto_deny', rule: 'rate_limit' });
      h.clock.advance(24 * 3600 + 1);
      expect((await ask()).request.status).toBe('pending');
    });

    it('checks a reason against a catastrophic-backtracking pattern in linear time instead of hanging', async () => {
      // With JavaScript's RegExp, ^(a+)+$ against 40 a's and a "!" takes about 2^40 steps: the process hangs.
      const h = await coreHarness({ scope: { reasonPattern: '^(a+)+$' } });
      const ask = (reason: string) => requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason, source: 'slack' });
      await expectRejected(ask(`${'a'.repeat(40)}!`), 'reason_mismatch');
      expect((await ask('a'.repeat(40))).request.status).toBe('pending');
    });

    it('auto-denies a dormant account, and a second try does not wake it up', async () => {
      const h = await coreHarness({ scope: { policy: { ...EMPTY_POLICY, dormantAfterDays: 90 } } });
      await h.store.transaction(async (tx) => {
        const alice = await tx.getPrincipal('alice');
        await tx.putPrincipal({ ...alice!, lastSeenAt: new Date(h.clock.now().getTime() - 120 * 86_400_000) });
      });
      const ask = () => requestElevation(h, { actor: slackUser('alice'), scopeName: 'prod-db-admin', duration: '1h', reason: 'INC-1', source: 'slack' });
      expect((await ask()).decision).toMatchObject({ outcome: 'auto_deny', rule: 'dormant_account' });
      expect((await ask()).decision).toMatchObject({ outcome: 'auto_deny', rule: 'dormant_account' });
    });
  });
});
