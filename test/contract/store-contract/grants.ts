import { describe, expect, it } from 'vitest';
import { isElevateError } from '../../../src/domain/errors.ts';
import type { Grant } from '../../../src/domain/grant.ts';
import { aGrant, aRequest, at } from '../../support/builders.ts';
import { seedRequest, seedRequests, write, type ContractContext } from './context.ts';

/** Grants: the issued, time-boxed credentials and their revocation bookkeeping. */
export function grantsContract(ctx: ContractContext): void {
  async function seedGrants(...grants: Grant[]): Promise<Grant[]> {
    await seedRequests(ctx.store, ...grants.map((g) => aRequest({ id: g.requestId, status: 'approved' })));
    await write(ctx.store, async (tx) => {
      for (const grant of grants) await tx.insertGrant(grant);
    });
    return grants;
  }

  describe('grants', () => {
    it('stores a grant with every field and finds it by id and by request', async () => {
      const revoked = aGrant({
        status: 'revoked',
        tokenSealed: null,
        endReason: 'revoked_by_admin',
        revokedAt: at(4000),
        revocationLagMs: -3_000_123_456,
        revokeAttempts: 3,
        nextAttemptAt: at(3990),
        lastError: 'temporarily_unavailable',
      });
      const issuing = aGrant({ status: 'issuing', asExpiresAt: null, issuedAt: null, tokenSealed: null, tokenType: null });
      await seedGrants(revoked, issuing);
      expect(await ctx.store.getGrant(revoked.id)).toEqual(revoked);
      expect(await ctx.store.getGrant(issuing.id)).toEqual(issuing);
      expect(await ctx.store.getGrantByRequest(revoked.requestId)).toEqual(revoked);
      expect(await ctx.store.getGrant('grant-unknown')).toBeNull();
      expect(await ctx.store.getGrantByRequest('req-unknown')).toBeNull();
    });

    it('allows one grant per request', async () => {
      const [first] = await seedGrants(aGrant());
      const error = await write(ctx.store, (tx) => tx.insertGrant(aGrant({ requestId: first!.requestId }))).catch((e: unknown) => e);
      expect(isElevateError(error, 'conflict')).toBe(true);
    });

    it('refuses a grant for a request that does not exist', async () => {
      const error = await write(ctx.store, (tx) => tx.insertGrant(aGrant({ requestId: 'req-ghost' }))).catch((e: unknown) => e);
      expect(isElevateError(error, 'not_found')).toBe(true);
    });

    it('lists grants by end of window, filtered by status, request and end, up to a limit', async () => {
      const [late, early, revoking, issuing] = await seedGrants(
        aGrant({ endsAt: at(300) }),
        aGrant({ endsAt: at(100) }),
        aGrant({ endsAt: at(200), status: 'revoking' }),
        aGrant({ endsAt: at(400), status: 'issuing' }),
      );
      const ids = async (filter: Parameters<typeof ctx.store.listGrants>[0]) => (await ctx.store.listGrants(filter)).map((g) => g.id);
      expect(await ids({})).toEqual([early!.id, revoking!.id, late!.id, issuing!.id]);
      expect(await ids({ statuses: ['active', 'revoking'] })).toEqual([early!.id, revoking!.id, late!.id]);
      expect(await ids({ statuses: ['active'], endsAtOrBefore: at(300) })).toEqual([early!.id, late!.id]);
      expect(await ids({ endsAtOrBefore: at(99) })).toEqual([]);
      expect(await ids({ requestIds: [issuing!.requestId, early!.requestId] })).toEqual([early!.id, issuing!.id]);
      expect(await ids({ requestIds: [] })).toEqual([]);
      expect(await ids({ statuses: ['active'], limit: 1 })).toEqual([early!.id]);
    });

    it('locks a grant inside a transaction, reading its current state', async () => {
      const [grant, ended] = await seedGrants(
        aGrant(),
        aGrant({ status: 'revoked', asExpiresAt: at(7200), issuedAt: at(1), tokenSealed: 'sealed', tokenType: 'Bearer', endReason: 'ended_by_requester', revokedAt: at(90), revocationLagMs: 1234, revokeAttempts: 2, nextAttemptAt: at(80), lastError: 'as_unavailable' }),
      );
      const locked = await write(ctx.store, (tx) => tx.lockGrant(grant!.id));
      expect(locked).toEqual(grant);
      expect(await write(ctx.store, (tx) => tx.lockGrant(ended!.id))).toEqual(ended);
      expect(await write(ctx.store, (tx) => tx.lockGrant('grant-unknown'))).toBeNull();
    });
  });

  describe('updateGrant (compare-and-set)', () => {
    it('applies the patch when the grant is in the expected status', async () => {
      const [grant] = await seedGrants(aGrant({ status: 'issuing', issuedAt: null, tokenSealed: null }));
      const patch = { status: 'active', issuedAt: at(121), tokenSealed: 'v1.sealed', asExpiresAt: at(3721) } as const;
      expect(await write(ctx.store, (tx) => tx.updateGrant(grant!.id, 'issuing', patch))).toBe(true);
      expect(await ctx.store.getGrant(grant!.id)).toEqual({ ...grant, ...patch });
    });

    it('changes nothing and returns false when the status moved on', async () => {
      const [grant] = await seedGrants(aGrant({ status: 'revoked', tokenSealed: null }));
      expect(await write(ctx.store, (tx) => tx.updateGrant(grant!.id, 'active', { status: 'revoking', revokeAttempts: 1 }))).toBe(false);
      expect(await ctx.store.getGrant(grant!.id)).toEqual(grant);
      expect(await write(ctx.store, (tx) => tx.updateGrant('grant-unknown', 'active', { status: 'revoking' }))).toBe(false);
    });

    it('erases the sealed token when the patch sets it to null', async () => {
      const [grant] = await seedGrants(aGrant({ status: 'revoking' }));
      await write(ctx.store, (tx) => tx.updateGrant(grant!.id, 'revoking', { status: 'revoked', tokenSealed: null, revokedAt: at(5000), revocationLagMs: 1200 }));
      expect(await ctx.store.getGrant(grant!.id)).toMatchObject({ status: 'revoked', tokenSealed: null, revocationLagMs: 1200 });
    });
  });

  describe('batch changes (the sweeper’s bookkeeping)', () => {
    it('applies one patch to every grant still in the expected status and names the ones it changed', async () => {
      const [a, b, moved] = await seedGrants(aGrant(), aGrant(), aGrant({ status: 'revoking' }));
      const changed = await write(ctx.store, (tx) => tx.updateGrants([a!.id, b!.id, moved!.id, 'grant-unknown'], 'active', { status: 'revoking', endReason: 'expired', nextAttemptAt: at(9000) }));
      expect([...changed].sort()).toEqual([a!.id, b!.id].sort());
      expect(await ctx.store.getGrant(a!.id)).toMatchObject({ status: 'revoking', endReason: 'expired', nextAttemptAt: at(9000) });
      expect(await ctx.store.getGrant(moved!.id)).toEqual(moved);
      expect(await write(ctx.store, (tx) => tx.updateGrants([], 'active', { status: 'revoking' }))).toEqual([]);
    });

    it('records confirmed revocations with each grant’s own confirmation time and lag, erasing its token, and only once', async () => {
      const [early, late, active] = await seedGrants(
        aGrant({ status: 'revoking', endsAt: at(1000), revokeAttempts: 2, nextAttemptAt: at(1100), lastError: 'issuer_unavailable' }),
        aGrant({ status: 'revoking', endsAt: at(1500) }),
        aGrant({ status: 'active' }),
      );
      const revokedAt = at(1200.5);
      const changed = await write(ctx.store, (tx) => tx.markGrantsRevoked([{ id: early!.id, revokedAt }, { id: late!.id, revokedAt: at(1600) }, { id: active!.id, revokedAt }]));
      expect([...changed].sort()).toEqual([early!.id, late!.id].sort());
      expect(await ctx.store.getGrant(early!.id)).toMatchObject({ status: 'revoked', tokenSealed: null, revokedAt, revocationLagMs: 200_500, nextAttemptAt: null, lastError: null, revokeAttempts: 2 });
      expect(await ctx.store.getGrant(late!.id)).toMatchObject({ status: 'revoked', revokedAt: at(1600), revocationLagMs: 100_000 });
      expect(await ctx.store.getGrant(active!.id)).toEqual(active);
      expect(await write(ctx.store, (tx) => tx.markGrantsRevoked([{ id: early!.id, revokedAt: at(2000) }]))).toEqual([]);
      expect((await ctx.store.getGrant(early!.id))?.revokedAt).toEqual(revokedAt);
    });
  });

  describe('claimDueGrants (the sweeper’s claim)', () => {
    it('claims revocations due a retry, then active grants past their end, oldest end first, up to a limit', async () => {
      const now = at(1000);
      const leaseUntil = at(1060);
      const [ended, endsNow, notYet, retryDue, retryLater, revoked, issuing] = await seedGrants(
        aGrant({ endsAt: at(500) }),
        aGrant({ endsAt: now }),
        aGrant({ endsAt: at(1001) }),
        aGrant({ status: 'revoking', endsAt: at(100), nextAttemptAt: at(999), endReason: 'ended_by_requester', revokeAttempts: 2 }),
        aGrant({ status: 'revoking', endsAt: at(200), nextAttemptAt: at(1500) }),
        aGrant({ status: 'revoked', endsAt: at(50), tokenSealed: null }),
        aGrant({ status: 'issuing', endsAt: at(60) }),
      );
      const claimed = await write(ctx.store, (tx) => tx.claimDueGrants({ now, limit: 10, leaseUntil }));
      expect(claimed.retrying).toEqual([{ ...retryDue, nextAttemptAt: leaseUntil }]);
      expect(claimed.ending).toEqual([
        { ...ended, status: 'revoking', endReason: 'expired', nextAttemptAt: leaseUntil },
        { ...endsNow, status: 'revoking', endReason: 'expired', nextAttemptAt: leaseUntil },
      ]);
      for (const grant of [...claimed.retrying, ...claimed.ending]) expect(await ctx.store.getGrant(grant.id)).toEqual(grant);
      for (const untouched of [notYet, retryLater, revoked, issuing]) expect(await ctx.store.getGrant(untouched!.id)).toEqual(untouched);
    });

    it('takes no more than the limit, retries first, and leaves the rest due for the next claim', async () => {
      const now = at(1000);
      const [ended, endsNow, retryDue] = await seedGrants(aGrant({ endsAt: at(500) }), aGrant({ endsAt: now }), aGrant({ status: 'revoking', endsAt: at(100), nextAttemptAt: at(999) }));
      const firstTwo = await write(ctx.store, (tx) => tx.claimDueGrants({ now, limit: 2, leaseUntil: at(1060) }));
      expect(firstTwo.retrying.map((g) => g.id)).toEqual([retryDue!.id]);
      expect(firstTwo.ending.map((g) => g.id)).toEqual([ended!.id]);
      const next = await write(ctx.store, (tx) => tx.claimDueGrants({ now, limit: 2, leaseUntil: at(1060) }));
      expect(next).toEqual({ retrying: [], ending: [expect.objectContaining({ id: endsNow!.id, status: 'revoking' })] });
    });

    it('claims nothing when nothing is due, and nothing still under lease', async () => {
      await seedGrants(aGrant({ endsAt: at(5000) }), aGrant({ status: 'revoking', endsAt: at(5), nextAttemptAt: at(11) }));
      expect(await write(ctx.store, (tx) => tx.claimDueGrants({ now: at(10), limit: 10, leaseUntil: at(70) }))).toEqual({ retrying: [], ending: [] });
    });
  });

  describe('lockRequest', () => {
    it('reads the request inside a transaction, or null when it does not exist', async () => {
      const request = await seedRequest(ctx.store);
      expect(await write(ctx.store, (tx) => tx.lockRequest(request.id))).toEqual(request);
      expect(await write(ctx.store, (tx) => tx.lockRequest('req-unknown'))).toBeNull();
    });

    it('reads every field, as getRequest does (its own statement on SQL stores)', async () => {
      const request = await seedRequest(ctx.store, {
        status: 'approved',
        decidedAt: at(60),
        decisionNote: 'looks fine',
        requesterAuthentication: { subject: 'alice', acr: 'urn:elevate:mfa', amr: ['pwd', 'otp'], authTime: at(30), verifiedAt: at(31) },
        remindedAt: at(10),
        escalatedAt: at(20),
        requesterLastSeenAt: at(-50),
        extendsGrantId: 'grant-earlier',
        breakGlass: { dueAt: at(3600), remindedAt: at(1800), reviewedAt: at(2000), reviewedBy: 'erin', verdict: 'acknowledged', note: 'ok' },
      });
      expect(await write(ctx.store, (tx) => tx.lockRequest(request.id))).toEqual(await ctx.store.getRequest(request.id));
      expect(await write(ctx.store, (tx) => tx.lockRequest(request.id))).toEqual(request);
    });
  });
}
