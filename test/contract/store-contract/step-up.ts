import { describe, expect, it } from 'vitest';
import type { StepUpTicket } from '../../../src/domain/step-up-ticket.ts';
import { aScope, at } from '../../support/builders.ts';
import { seedRequest, write, type ContractContext } from './context.ts';

function aTicket(requestId: string, overrides: Partial<StepUpTicket> = {}): StepUpTicket {
  return {
    idHash: 'a'.repeat(64),
    purpose: 'receive',
    requestId,
    principalId: 'alice',
    createdAt: at(0),
    expiresAt: at(600),
    startedAt: null,
    stateHash: null,
    bindingHash: null,
    nonce: null,
    codeVerifier: null,
    completedAt: null,
    ...overrides,
  };
}

const flow = (startedAt: Date, stateHash = 's'.repeat(64)) => ({ startedAt, stateHash, bindingHash: 'b'.repeat(64), nonce: 'nonce-1', codeVerifier: 'verifier-1' });

/** One-time step-up links, the requester's verification on a request, and each person's last accepted sign-in. */
export function stepUpContract(ctx: ContractContext): void {
  describe('step-up', () => {
    it('stores a ticket and finds it by its hash, and by its state once started', async () => {
      const request = await seedRequest(ctx.store);
      const ticket = aTicket(request.id);
      await write(ctx.store, (tx) => tx.insertStepUpTicket(ticket));
      expect(await ctx.store.getStepUpTicket(ticket.idHash)).toEqual(ticket);
      expect(await ctx.store.getStepUpTicket('f'.repeat(64))).toBeNull();
      expect(await ctx.store.findStepUpTicketByState('s'.repeat(64))).toBeNull();
      expect(await write(ctx.store, (tx) => tx.startStepUpTicket(ticket.idHash, flow(at(10))))).toBe(true);
      expect(await ctx.store.findStepUpTicketByState('s'.repeat(64))).toEqual({ ...ticket, ...flow(at(10)) });
    });

    it('starts a ticket once, and never after it expired', async () => {
      const request = await seedRequest(ctx.store);
      const fresh = aTicket(request.id);
      const stale = aTicket(request.id, { idHash: 'c'.repeat(64) });
      await write(ctx.store, async (tx) => {
        await tx.insertStepUpTicket(fresh);
        await tx.insertStepUpTicket(stale);
      });
      expect(await write(ctx.store, (tx) => tx.startStepUpTicket(fresh.idHash, flow(at(10))))).toBe(true);
      expect(await write(ctx.store, (tx) => tx.startStepUpTicket(fresh.idHash, flow(at(20), 't'.repeat(64))))).toBe(false);
      expect((await ctx.store.getStepUpTicket(fresh.idHash))?.stateHash).toBe('s'.repeat(64));
      expect(await write(ctx.store, (tx) => tx.startStepUpTicket(stale.idHash, flow(at(600), 'u'.repeat(64))))).toBe(false);
      expect(await write(ctx.store, (tx) => tx.startStepUpTicket('9'.repeat(64), flow(at(1), 'v'.repeat(64))))).toBe(false);
    });

    it('completes a started ticket once, and never one that was not started', async () => {
      const request = await seedRequest(ctx.store);
      const ticket = aTicket(request.id);
      await write(ctx.store, (tx) => tx.insertStepUpTicket(ticket));
      expect(await write(ctx.store, (tx) => tx.completeStepUpTicket(ticket.idHash, at(5)))).toBe(false);
      await write(ctx.store, (tx) => tx.startStepUpTicket(ticket.idHash, flow(at(10))));
      expect(await write(ctx.store, (tx) => tx.completeStepUpTicket(ticket.idHash, at(30)))).toBe(true);
      expect(await write(ctx.store, (tx) => tx.completeStepUpTicket(ticket.idHash, at(31)))).toBe(false);
      expect((await ctx.store.getStepUpTicket(ticket.idHash))?.completedAt).toEqual(at(30));
    });

    it('completes a ticket exactly once when many callbacks race', async () => {
      const request = await seedRequest(ctx.store);
      const ticket = aTicket(request.id);
      await write(ctx.store, async (tx) => {
        await tx.insertStepUpTicket(ticket);
        await tx.startStepUpTicket(ticket.idHash, flow(at(10)));
      });
      const outcomes = await Promise.all(Array.from({ length: 8 }, () => write(ctx.store, (tx) => tx.completeStepUpTicket(ticket.idHash, at(20)))));
      expect(outcomes.filter(Boolean)).toHaveLength(1);
    });

    it('refuses a ticket for a request that does not exist', async () => {
      await seedRequest(ctx.store);
      await expect(write(ctx.store, (tx) => tx.insertStepUpTicket(aTicket('req-unknown')))).rejects.toMatchObject({ name: 'ElevateError' });
    });

    it('deletes tickets that expired before an instant, and keeps the rest', async () => {
      const request = await seedRequest(ctx.store);
      await write(ctx.store, async (tx) => {
        await tx.insertStepUpTicket(aTicket(request.id, { idHash: '1'.repeat(64), expiresAt: at(100) }));
        await tx.insertStepUpTicket(aTicket(request.id, { idHash: '2'.repeat(64), expiresAt: at(200) }));
      });
      expect(await write(ctx.store, (tx) => tx.deleteExpiredStepUpTickets(at(150)))).toBe(1);
      expect(await ctx.store.getStepUpTicket('1'.repeat(64))).toBeNull();
      expect(await ctx.store.getStepUpTicket('2'.repeat(64))).not.toBeNull();
    });

    it('keeps the last accepted sign-in per person, replacing an older one', async () => {
      await seedRequest(ctx.store);
      expect(await ctx.store.getLastAuthentication('bob')).toBeNull();
      const first = { subject: 'bob', acr: 'urn:elevate:dev:totp', amr: ['otp'], authTime: at(10) };
      await write(ctx.store, (tx) => tx.putLastAuthentication('bob', first, at(11)));
      expect(await ctx.store.getLastAuthentication('bob')).toEqual(first);
      const second = { subject: 'bob', acr: null, amr: ['mfa', 'hwk'], authTime: at(500) };
      await write(ctx.store, (tx) => tx.putLastAuthentication('bob', second, at(501)));
      expect(await ctx.store.getLastAuthentication('bob')).toEqual(second);
      expect(await ctx.store.getLastAuthentication('alice')).toBeNull();
    });

    it("stores a scope's mfa policy and a request's verification, and reads them back unchanged", async () => {
      const mfa = { requester: true, approver: false, maxAgeSec: 300, acrValues: ['urn:example:loa:2'], amr: ['mfa', 'otp'], allowServiceAccounts: false };
      await write(ctx.store, (tx) => tx.putScope(aScope({ name: 'mfa-scope', mfa })));
      expect((await ctx.store.getScope('mfa-scope'))?.mfa).toEqual(mfa);
      const verified = { subject: 'alice', acr: 'urn:example:loa:2', amr: ['otp'], authTime: at(50), verifiedAt: at(55) };
      const request = await seedRequest(ctx.store, { status: 'verifying', decidedAt: at(40) });
      expect(await ctx.store.getRequest(request.id)).toEqual(request);
      expect(await write(ctx.store, (tx) => tx.updateRequest(request.id, 'verifying', { status: 'approved', requesterAuthentication: verified }))).toBe(true);
      expect(await ctx.store.getRequest(request.id)).toEqual({ ...request, status: 'approved', requesterAuthentication: verified });
    });

    it('lists verifying requests past their deadline with the pending ones', async () => {
      const pending = await seedRequest(ctx.store, { pendingUntil: at(100) });
      const verifying = await seedRequest(ctx.store, { status: 'verifying', pendingUntil: at(100) });
      await seedRequest(ctx.store, { status: 'verifying', pendingUntil: at(1000) });
      await seedRequest(ctx.store, { status: 'approved', pendingUntil: at(100) });
      const due = await ctx.store.listRequests({ statuses: ['pending', 'verifying'], pendingUntilAtOrBefore: at(100) });
      expect(due.map((r) => r.id).sort()).toEqual([pending.id, verifying.id].sort());
    });
  });
}
