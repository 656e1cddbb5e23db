import { describe, expect, it } from 'vitest';
import { remindAndEscalate } from '../../../src/app/remind-and-escalate.ts';
import { aGrant, aRequest, aScope, at, T0 } from '../../support/builders.ts';
import { seedRequest, seedRequests, write, type ContractContext } from './context.ts';

/** What reminders, escalation and the approvers' context need from a store. */
export function followUpsContract(ctx: ContractContext): void {
  describe('reminders, escalation and decision context', () => {
    it('keeps a scope’s remind_after, escalate_to and usual hours, and a request’s follow-up times', async () => {
      const scope = aScope({
        name: 'escalating',
        remindAfterSec: 600,
        escalation: { afterSec: 1200, channels: [{ platform: 'teams', channelId: '19:escalation' }, { platform: 'slack', channelId: 'C-ONCALL' }], approvers: ['carol'] },
        policy: { autoApprove: false, allowedHoursUtc: null, maxRequestsPerDay: null, dormantAfterDays: null, usualHoursUtc: { start: '08:00', end: '18:00' } },
      });
      await write(ctx.store, (tx) => tx.putScope(scope));
      expect(await ctx.store.getScope('escalating')).toEqual(scope);
      const request = await seedRequest(ctx.store, { remindedAt: at(600), escalatedAt: at(1200), requesterLastSeenAt: at(-86_400) });
      expect(await ctx.store.getRequest(request.id)).toEqual(request);
      const plain = await seedRequest(ctx.store);
      expect(await write(ctx.store, (tx) => tx.updateRequest(plain.id, 'pending', { remindedAt: at(30) }))).toBe(true);
      expect(await ctx.store.getRequest(plain.id)).toEqual({ ...plain, remindedAt: at(30) });
    });

    it('counts a requester’s requests for a scope between two instants, the end excluded', async () => {
      await seedRequests(ctx.store, aRequest({ createdAt: at(-100) }), aRequest({ createdAt: at(0) }), aRequest({ createdAt: at(10) }), aRequest({ createdAt: at(10), scopeName: 'other' }));
      expect(await ctx.store.countRequestsSince('alice', 'prod-db-admin', at(-1000), at(10))).toBe(2);
      expect(await ctx.store.countRequestsSince('alice', 'prod-db-admin', at(-50), at(10))).toBe(1);
      expect(await ctx.store.countRequestsSince('alice', 'prod-db-admin', at(-50))).toBe(2);
    });

    it('lists who holds a scope now: active, unexpired grants, one entry per person with their latest end', async () => {
      const [bob1, bob2, carol, alice, revoked, other] = await seedRequests(
        ctx.store,
        aRequest({ requesterId: 'bob', status: 'approved' }),
        aRequest({ requesterId: 'bob', status: 'approved' }),
        aRequest({ requesterId: 'carol', status: 'approved' }),
        aRequest({ requesterId: 'alice', status: 'approved' }),
        aRequest({ requesterId: 'alice', status: 'approved' }),
        aRequest({ requesterId: 'carol', status: 'approved', scopeName: 'other' }),
      );
      await write(ctx.store, async (tx) => {
        await tx.insertGrant(aGrant({ requestId: bob1!.id, endsAt: at(1000) }));
        await tx.insertGrant(aGrant({ requestId: bob2!.id, endsAt: at(3000) }));
        await tx.insertGrant(aGrant({ requestId: carol!.id, endsAt: at(2000) }));
        await tx.insertGrant(aGrant({ requestId: alice!.id, endsAt: at(50) }));
        await tx.insertGrant(aGrant({ requestId: revoked!.id, endsAt: at(5000), status: 'revoked' }));
        await tx.insertGrant(aGrant({ requestId: other!.id, endsAt: at(5000) }));
      });
      expect(await ctx.store.listScopeHolders('prod-db-admin', at(100))).toEqual([
        { principalId: 'bob', endsAt: at(3000) },
        { principalId: 'carol', endsAt: at(2000) },
      ]);
      expect(await ctx.store.listScopeHolders('prod-db-admin', T0)).toHaveLength(3);
      expect(await ctx.store.listScopeHolders('nothing', T0)).toEqual([]);
    });

    it('reminds and escalates a request once when several sweepers run at the same moment', async () => {
      const request = await seedRequest(ctx.store, { createdAt: T0, pendingUntil: at(3600) });
      await write(ctx.store, (tx) => tx.putScope(aScope({ escalation: { afterSec: 1200, channels: [], approvers: ['carol'] } })));
      const clock = { now: () => at(1800) };
      const runs = await Promise.all(Array.from({ length: 4 }, () => remindAndEscalate({ store: ctx.store, clock })));
      const done = runs.flat();
      expect(done.map((f) => f.kind).sort()).toEqual(['escalated', 'reminded']);
      expect(await ctx.store.getRequest(request.id)).toMatchObject({ remindedAt: at(1800), escalatedAt: at(1800) });
      const audit = (await ctx.store.listAudit(0, 100)).map((r) => r.type);
      expect(audit.filter((t) => t === 'request.reminded')).toHaveLength(1);
      expect(audit.filter((t) => t === 'request.escalated')).toHaveLength(1);
    });
  });
}
