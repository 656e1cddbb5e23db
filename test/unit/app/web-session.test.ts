import { describe, expect, it } from 'vitest';
import { hashSecret } from '../../../src/app/step-up/secrets.ts';
import { completeSignIn, endWebSession, reauthenticateWebSession, resumeWebSession } from '../../../src/app/web-session/index.ts';
import type { WebSession } from '../../../src/domain/web-session.ts';
import { coreHarness } from '../../support/core-harness.ts';
import { aPrincipal } from '../../support/builders.ts';

const LIMITS = { idleSec: 30 * 60, absoluteSec: 8 * 3600 };

async function withSession(overrides: Partial<WebSession> = {}) {
  const core = await coreHarness();
  const secret = 'browser-secret-1';
  const now = core.clock.now();
  await core.store.transaction((tx) =>
    tx.insertWebSession({ idHash: hashSecret(secret), principalId: 'alice', createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + LIMITS.absoluteSec * 1000), endedAt: null, evidence: { subject: 'alice', acr: null, amr: ['otp'], authTime: now }, ...overrides }),
  );
  return { core, secret };
}

describe('dashboard sessions', () => {
  it('resume while used, and end after the idle limit without a request', async () => {
    const { core, secret } = await withSession();
    core.clock.advance(29 * 60);
    expect((await resumeWebSession(core, secret, LIMITS)).ok).toBe(true);
    core.clock.advance(29 * 60);
    expect((await resumeWebSession(core, secret, LIMITS)).ok).toBe(true);
    core.clock.advance(30 * 60);
    expect(await resumeWebSession(core, secret, LIMITS)).toEqual({ ok: false, why: 'idle' });
  });

  it('end at their absolute lifetime however busy', async () => {
    const { core, secret } = await withSession();
    for (let i = 0; i < 16; i += 1) {
      core.clock.advance(29 * 60);
      expect((await resumeWebSession(core, secret, LIMITS)).ok).toBe(true);
    }
    core.clock.advance(29 * 60);
    expect(await resumeWebSession(core, secret, LIMITS)).toEqual({ ok: false, why: 'expired' });
  });

  it('end for good at sign-out, audited once', async () => {
    const { core, secret } = await withSession();
    expect(await endWebSession(core, secret)).toBe(true);
    expect(await endWebSession(core, secret)).toBe(false);
    expect(await resumeWebSession(core, secret, LIMITS)).toEqual({ ok: false, why: 'signed_out' });
    expect((await core.store.listAudit(0, 100)).filter((record) => record.type === 'web.signed_out')).toHaveLength(1);
  });

  it('stop at once when the person is no longer in the configuration, or was made a service account', async () => {
    const { core, secret } = await withSession();
    await core.store.transaction((tx) => tx.putPrincipal(aPrincipal({ id: 'alice', kind: 'service' })));
    expect(await resumeWebSession(core, secret, LIMITS)).toEqual({ ok: false, why: 'no_principal' });
    await core.store.transaction((tx) => tx.deletePrincipal('alice'));
    expect(await resumeWebSession(core, secret, LIMITS)).toEqual({ ok: false, why: 'unknown' });
  });

  it('take a step-up’s evidence from the same person only', async () => {
    const { core, secret } = await withSession();
    const fresh = { subject: 'alice', acr: 'urn:elevate:dev:otp', amr: ['otp'], authTime: core.clock.now() };
    await expect(reauthenticateWebSession(core, secret, { ...fresh, subject: 'bob' })).rejects.toMatchObject({ code: 'step_up_refused' });
    await reauthenticateWebSession(core, secret, fresh);
    const resumed = await resumeWebSession(core, secret, LIMITS);
    expect(resumed.ok && resumed.session.evidence).toEqual(fresh);
    await endWebSession(core, secret);
    await expect(reauthenticateWebSession(core, secret, fresh)).rejects.toMatchObject({ code: 'unauthenticated' });
  });
});

describe('dashboard sign-in', () => {
  const settingsFor = (subject: string) => ({
    limits: LIMITS,
    redirectUri: 'https://elevate.example.com/auth/sign-in/callback',
    authenticator: {
      authorizationUrl: () => new URL('https://id.example.com/authorize'),
      redeem: async () => ({ subject, acr: 'urn:elevate:dev:otp', amr: ['otp'], authTime: new Date('2026-12-03T09:59:00Z') }),
    },
  });
  const pending = { state: 's', nonce: 'n', codeVerifier: 'v', maxAgeSec: 600 };
  const callbackUrl = new URL('https://elevate.example.com/auth/sign-in/callback?code=c&state=s');

  it('refuses a person the configuration does not know, saying so, and a service account', async () => {
    const core = await coreHarness();
    await expect(completeSignIn(core, settingsFor('mallory'), { pending, callbackUrl })).rejects.toMatchObject({ code: 'unknown_identity', message: expect.stringContaining('Elevate does not know this person') });
    await core.store.transaction((tx) => tx.putPrincipal(aPrincipal({ id: 'ci-bot', kind: 'service' })));
    await expect(completeSignIn(core, settingsFor('ci-bot'), { pending, callbackUrl })).rejects.toMatchObject({ code: 'unknown_identity' });
    expect((await core.store.listAudit(0, 100)).filter((record) => record.type === 'web.signed_in')).toEqual([]);
  });

  it('makes a new session at every sign-in and ends the one the browser brought', async () => {
    const core = await coreHarness();
    const first = await completeSignIn(core, settingsFor('alice'), { pending, callbackUrl });
    const second = await completeSignIn(core, settingsFor('alice'), { pending, callbackUrl, previousSecret: first.secret });
    expect(second.secret).not.toBe(first.secret);
    expect(await resumeWebSession(core, first.secret, LIMITS)).toEqual({ ok: false, why: 'signed_out' });
    expect((await resumeWebSession(core, second.secret, LIMITS)).ok).toBe(true);
    expect(second.session.expiresAt.getTime() - second.session.createdAt.getTime()).toBe(LIMITS.absoluteSec * 1000);
    const audited = (await core.store.listAudit(0, 100)).filter((record) => record.type === 'web.signed_in');
    expect(audited.map((record) => record.actor)).toEqual(['alice', 'alice']);
    expect(JSON.stringify(audited)).not.toContain(second.secret);
  });
});
