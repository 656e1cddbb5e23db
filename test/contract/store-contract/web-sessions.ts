import { describe, expect, it } from 'vitest';
import type { WebSession } from '../../../src/domain/web-session.ts';
import { aPrincipal, at } from '../../support/builders.ts';
import { write, type ContractContext } from './context.ts';

function aSession(overrides: Partial<WebSession> = {}): WebSession {
  return {
    idHash: 'c'.repeat(64),
    principalId: 'alice',
    createdAt: at(0),
    lastSeenAt: at(0),
    expiresAt: at(3600),
    endedAt: null,
    evidence: { subject: 'alice', acr: 'urn:elevate:dev:otp', amr: ['otp'], authTime: at(-5) },
    ...overrides,
  };
}

/** Dashboard sessions: stored by the hash of their secret, ended once, gone with their principal. */
export function webSessionContract(ctx: ContractContext): void {
  describe('web sessions', () => {
    const seedAlice = () => write(ctx.store, (tx) => tx.putPrincipal(aPrincipal({ id: 'alice' })));

    it('stores a session and finds it by its hash only', async () => {
      await seedAlice();
      const session = aSession();
      await write(ctx.store, (tx) => tx.insertWebSession(session));
      expect(await ctx.store.getWebSession(session.idHash)).toEqual(session);
      expect(await ctx.store.getWebSession('d'.repeat(64))).toBeNull();
    });

    it('refuses a second session with the same hash', async () => {
      await seedAlice();
      await write(ctx.store, (tx) => tx.insertWebSession(aSession()));
      await expect(write(ctx.store, (tx) => tx.insertWebSession(aSession()))).rejects.toThrow();
    });

    it('touches and re-evidences an open session, and ends it once; an ended session changes no more', async () => {
      await seedAlice();
      const session = aSession();
      await write(ctx.store, (tx) => tx.insertWebSession(session));
      expect(await write(ctx.store, (tx) => tx.touchWebSession(session.idHash, at(120)))).toBe(true);
      const stepped = { subject: 'alice', acr: null, amr: ['otp', 'mfa'], authTime: at(119) };
      expect(await write(ctx.store, (tx) => tx.setWebSessionEvidence(session.idHash, stepped))).toBe(true);
      expect(await ctx.store.getWebSession(session.idHash)).toEqual({ ...session, lastSeenAt: at(120), evidence: stepped });
      expect(await write(ctx.store, (tx) => tx.endWebSession(session.idHash, at(200)))).toBe(true);
      expect(await write(ctx.store, (tx) => tx.endWebSession(session.idHash, at(300)))).toBe(false);
      expect(await write(ctx.store, (tx) => tx.touchWebSession(session.idHash, at(400)))).toBe(false);
      expect(await write(ctx.store, (tx) => tx.setWebSessionEvidence(session.idHash, session.evidence))).toBe(false);
      expect(await ctx.store.getWebSession(session.idHash)).toEqual({ ...session, lastSeenAt: at(120), evidence: stepped, endedAt: at(200) });
      expect(await write(ctx.store, (tx) => tx.touchWebSession('e'.repeat(64), at(120)))).toBe(false);
    });

    it('deletes sessions past their absolute end, and every session of a removed principal', async () => {
      await seedAlice();
      await write(ctx.store, (tx) => tx.putPrincipal(aPrincipal({ id: 'bob' })));
      await write(ctx.store, async (tx) => {
        await tx.insertWebSession(aSession({ idHash: '1'.repeat(64), expiresAt: at(100) }));
        await tx.insertWebSession(aSession({ idHash: '2'.repeat(64), expiresAt: at(1000) }));
        await tx.insertWebSession(aSession({ idHash: '3'.repeat(64), principalId: 'bob', expiresAt: at(1000) }));
      });
      expect(await write(ctx.store, (tx) => tx.deleteExpiredWebSessions(at(500)))).toBe(1);
      expect(await ctx.store.getWebSession('1'.repeat(64))).toBeNull();
      expect(await ctx.store.getWebSession('2'.repeat(64))).not.toBeNull();
      await write(ctx.store, (tx) => tx.deletePrincipal('bob'));
      expect(await ctx.store.getWebSession('3'.repeat(64))).toBeNull();
    });
  });
}
