import { describe, expect, it } from 'vitest';
import { isElevateError } from '../../../src/domain/errors.ts';
import { aPostedMessage, aRequest, aReview, at } from '../../support/builders.ts';
import { seedRequest, seedRequests, write, type ContractContext } from './context.ts';

/** Elevation requests and what hangs off them: reviews and posted chat messages. */
export function requestsContract(ctx: ContractContext): void {
  describe('requests', () => {
    it('stores a request with every field and reads it back unchanged', async () => {
      const decided = aRequest({ status: 'denied', decidedAt: at(300), decisionNote: 'Not during the freeze', source: 'teams', approvalsRequired: 2 });
      const pending = aRequest();
      await seedRequests(ctx.store, decided, pending);
      expect(await ctx.store.getRequest(decided.id)).toEqual(decided);
      expect(await ctx.store.getRequest(pending.id)).toEqual(pending);
      expect(await ctx.store.getRequest('req-unknown')).toBeNull();
    });

    it('refuses a second request with the same id and keeps the first', async () => {
      const first = await seedRequest(ctx.store, { reason: 'first' });
      const error = await write(ctx.store, (tx) => tx.insertRequest({ ...first, reason: 'second' })).catch((e: unknown) => e);
      expect(isElevateError(error, 'conflict')).toBe(true);
      expect((await ctx.store.getRequest(first.id))?.reason).toBe('first');
    });

    it("keeps one request per principal and Idempotency-Key, and refuses the same key again without changing it", async () => {
      const first = await seedRequest(ctx.store, { requesterId: 'alice' });
      const second = await seedRequest(ctx.store, { requesterId: 'alice' });
      const record = { principalId: 'alice', key: 'retry-1', fingerprint: 'f1', requestId: first.id, createdAt: at(10) };
      expect(await write(ctx.store, (tx) => tx.insertIdempotencyKey(record))).toBe(true);
      expect(await write(ctx.store, (tx) => tx.insertIdempotencyKey({ ...record, fingerprint: 'f2', requestId: second.id }))).toBe(false);
      expect(await ctx.store.findIdempotencyKey('alice', 'retry-1')).toEqual(record);
      // The same key from someone else is theirs alone.
      expect(await write(ctx.store, (tx) => tx.insertIdempotencyKey({ ...record, principalId: 'bob', requestId: second.id }))).toBe(true);
      expect(await ctx.store.findIdempotencyKey('bob', 'retry-1')).toMatchObject({ requestId: second.id });
      expect(await ctx.store.findIdempotencyKey('alice', 'unknown')).toBeNull();
    });

    it('refuses an Idempotency-Key for a request that does not exist', async () => {
      const error = await write(ctx.store, (tx) =>
        tx.insertIdempotencyKey({ principalId: 'alice', key: 'k', fingerprint: 'f', requestId: 'req-unknown', createdAt: at(0) }),
      ).catch((e: unknown) => e);
      expect(isElevateError(error)).toBe(true);
    });

    it('lists requests oldest first, filtered by requester, scope and status, up to a limit', async () => {
      const [a1, b1, a2, a3] = await seedRequests(
        ctx.store,
        aRequest({ requesterId: 'alice', createdAt: at(10) }),
        aRequest({ requesterId: 'bob', createdAt: at(20) }),
        aRequest({ requesterId: 'alice', createdAt: at(30), status: 'approved', scopeName: 'other' }),
        aRequest({ requesterId: 'alice', createdAt: at(5), status: 'denied' }),
      );
      const ids = async (filter: Parameters<typeof ctx.store.listRequests>[0]) => (await ctx.store.listRequests(filter)).map((r) => r.id);
      expect(await ids({})).toEqual([a3!.id, a1!.id, b1!.id, a2!.id]);
      expect(await ids({ requesterId: 'alice' })).toEqual([a3!.id, a1!.id, a2!.id]);
      expect(await ids({ scopeName: 'other' })).toEqual([a2!.id]);
      expect(await ids({ statuses: ['approved', 'denied'] })).toEqual([a3!.id, a2!.id]);
      expect(await ids({ statuses: [] })).toEqual([]);
      expect(await ids({ requesterId: 'alice', statuses: ['pending'] })).toEqual([a1!.id]);
      expect(await ids({ limit: 2 })).toEqual([a3!.id, a1!.id]);
    });

    it('finds pending requests whose review deadline has passed, including one due exactly now', async () => {
      const [due, dueExactly] = await seedRequests(
        ctx.store,
        aRequest({ pendingUntil: at(100) }),
        aRequest({ pendingUntil: at(200) }),
        aRequest({ pendingUntil: at(201) }),
        aRequest({ pendingUntil: at(50), status: 'approved' }),
      );
      const found = await ctx.store.listRequests({ pendingUntilAtOrBefore: at(200) });
      expect(found.map((r) => r.id)).toEqual([due!.id, dueExactly!.id]);
    });

    it('counts one requester’s requests for one scope since an instant, inclusive', async () => {
      await seedRequests(
        ctx.store,
        aRequest({ createdAt: at(-10) }),
        aRequest({ createdAt: at(0) }),
        aRequest({ createdAt: at(10), status: 'denied' }),
        aRequest({ createdAt: at(10), requesterId: 'bob' }),
        aRequest({ createdAt: at(10), scopeName: 'other' }),
      );
      expect(await ctx.store.countRequestsSince('alice', 'prod-db-admin', at(0))).toBe(2);
      expect(await ctx.store.countRequestsSince('alice', 'prod-db-admin', at(11))).toBe(0);
      expect(await ctx.store.countRequestsSince('nobody', 'prod-db-admin', at(-100))).toBe(0);
    });
  });

  describe('updateRequest (compare-and-set)', () => {
    it('applies the patch when the request is in the expected status', async () => {
      const request = await seedRequest(ctx.store);
      const patch = { status: 'approved', decidedAt: at(90), decisionNote: null } as const;
      expect(await write(ctx.store, (tx) => tx.updateRequest(request.id, 'pending', patch))).toBe(true);
      expect(await ctx.store.getRequest(request.id)).toEqual({ ...request, ...patch });
    });

    it('changes nothing and returns false when the status moved on', async () => {
      const request = await seedRequest(ctx.store, { status: 'denied', decidedAt: at(30), decisionNote: 'no' });
      const changed = await write(ctx.store, (tx) => tx.updateRequest(request.id, 'pending', { status: 'approved', decidedAt: at(90) }));
      expect(changed).toBe(false);
      expect(await ctx.store.getRequest(request.id)).toEqual(request);
    });

    it('returns false for a request that does not exist', async () => {
      expect(await write(ctx.store, (tx) => tx.updateRequest('req-unknown', 'pending', { status: 'expired' }))).toBe(false);
    });

    it('leaves fields the patch does not mention, or sets to undefined, as they were', async () => {
      const request = await seedRequest(ctx.store, { decisionNote: 'keep me' });
      await write(ctx.store, (tx) => tx.updateRequest(request.id, 'pending', { status: 'expired', decisionNote: undefined }));
      expect(await ctx.store.getRequest(request.id)).toEqual({ ...request, status: 'expired' });
    });
  });

  describe('reviews', () => {
    it('records reviews and lists them in the order they were made', async () => {
      const request = await seedRequest(ctx.store, { approvalsRequired: 2 });
      const carol = aReview({ requestId: request.id, approverId: 'carol', decision: 'deny', comment: 'why now?', createdAt: at(50) });
      const bob = aReview({ requestId: request.id, approverId: 'bob', createdAt: at(40) });
      await write(ctx.store, async (tx) => {
        expect(await tx.insertReview(carol)).toBe(true);
        expect(await tx.insertReview(bob)).toBe(true);
      });
      expect(await ctx.store.listReviews(request.id)).toEqual([bob, carol]);
      expect(await ctx.store.listReviews('req-unknown')).toEqual([]);
    });

    it('refuses a second review by the same approver without spoiling the transaction', async () => {
      const request = await seedRequest(ctx.store);
      await write(ctx.store, (tx) => tx.insertReview(aReview({ requestId: request.id, decision: 'approve' })));
      await write(ctx.store, async (tx) => {
        expect(await tx.insertReview(aReview({ requestId: request.id, decision: 'deny', createdAt: at(99) }))).toBe(false);
        // The transaction is still usable after the refused insert: these writes must commit.
        expect(await tx.insertReview(aReview({ requestId: request.id, approverId: 'carol' }))).toBe(true);
        await tx.appendAudit({ type: 'review.recorded', actor: 'carol', requestId: request.id });
      });
      const reviews = await ctx.store.listReviews(request.id);
      expect(reviews.map((r) => [r.approverId, r.decision])).toEqual([
        ['bob', 'approve'],
        ['carol', 'approve'],
      ]);
      expect((await ctx.store.getAuditHead())?.seq).toBe(1);
    });

    it('refuses a review of a request that does not exist', async () => {
      const error = await write(ctx.store, (tx) => tx.insertReview(aReview({ requestId: 'req-ghost' }))).catch((e: unknown) => e);
      expect(isElevateError(error, 'not_found')).toBe(true);
    });
  });

  describe('posted messages', () => {
    it('keeps one message per request and channel, replacing it when posted again', async () => {
      const request = await seedRequest(ctx.store);
      const teams = aPostedMessage({ requestId: request.id, platform: 'teams', channelId: '19:abc', messageId: 'act-1', postedAt: at(2) });
      const slack = aPostedMessage({ requestId: request.id, messageId: '111.1', postedAt: at(1) });
      const slackAgain = { ...slack, messageId: '222.2', postedAt: at(3) };
      await write(ctx.store, async (tx) => {
        await tx.putPostedMessage(slack);
        await tx.putPostedMessage(teams);
      });
      expect(await ctx.store.listPostedMessages(request.id)).toEqual([slack, teams]);
      await write(ctx.store, (tx) => tx.putPostedMessage(slackAgain));
      expect(await ctx.store.listPostedMessages(request.id)).toEqual([teams, slackAgain]);
      expect(await ctx.store.listPostedMessages('req-unknown')).toEqual([]);
    });

    it('refuses a message for a request that does not exist', async () => {
      const error = await write(ctx.store, (tx) => tx.putPostedMessage(aPostedMessage({ requestId: 'req-ghost' }))).catch((e: unknown) => e);
      expect(isElevateError(error, 'not_found')).toBe(true);
    });
  });
}
