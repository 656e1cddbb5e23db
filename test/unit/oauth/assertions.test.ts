import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { actorAssertionClaims, subjectAssertionClaims, type AssertionContext } from '../../../src/adapters/oauth/assertions/build-assertions.ts';
import { signAssertion } from '../../../src/adapters/oauth/assertions/sign-assertion.ts';
import { exchangeInput } from '../../fakes/oauth/builders.ts';
import { generateBotKeys } from '../../fakes/oauth/test-bot-keys.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const clock = new FakeClock('2026-01-05T10:00:00.000Z');
const NOW = Date.parse('2026-01-05T10:00:00.000Z') / 1000;
const context: AssertionContext = { assertionIssuer: 'https://elevate.example.com', authorizationServer: 'https://login.example.com', clientId: 'elevate-bot', clock };

describe('the subject assertion', () => {
  it('names the requester for the AS, valid for one minute from the injected clock', () => {
    const claims = subjectAssertionClaims(exchangeInput({ requester: { id: 'svc-backup', kind: 'service' } }), context);
    expect(claims).toEqual({
      iss: 'https://elevate.example.com',
      sub: 'svc-backup',
      aud: 'https://login.example.com',
      iat: NOW,
      exp: NOW + 60,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      principal_kind: 'service',
    });
  });

  it('carries a fresh jti every time', () => {
    const input = exchangeInput();
    expect(subjectAssertionClaims(input, context).jti).not.toBe(subjectAssertionClaims(input, context).jti);
  });
});

describe('the actor assertion', () => {
  it('names the bot and records the approvers, the grant and the end of the window', () => {
    const windowEndsAt = new Date('2026-01-05T10:30:00.000Z');
    const claims = actorAssertionClaims(exchangeInput({ grantId: 'g-7', approvers: ['policy'], windowEndsAt }), context);
    expect(claims).toMatchObject({
      iss: 'https://elevate.example.com',
      sub: 'elevate-bot',
      aud: 'https://login.example.com',
      iat: NOW,
      exp: NOW + 60,
      grant_id: 'g-7',
      approvers: ['policy'],
      window_ends_at: NOW + 1800,
      elevate_scope: 'prod-db-admin',
    });
  });
});

describe('signed assertions', () => {
  it('verify against the published JWKS and name their key', async () => {
    const { keys } = await generateBotKeys();
    const jwt = await signAssertion({ ...subjectAssertionClaims(exchangeInput(), context) }, keys.signingKey);
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(keys.publicJwks() as unknown as JSONWebKeySet), {
      issuer: context.assertionIssuer,
      audience: context.authorizationServer,
      currentDate: clock.now(),
    });
    expect(payload.sub).toBe('alice@example.com');
    expect(protectedHeader.kid).toBe(keys.signingKey.kid);
    expect(decodeJwt(jwt).exp).toBe(NOW + 60);
  });
});
