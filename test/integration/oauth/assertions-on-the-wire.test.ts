import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenIssuer } from '../../../src/adapters/oauth/index.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { exchangeInput, oauthConfigFor } from '../../fakes/oauth/builders.ts';
import { startMisbehavingAuthorizationServer, type MisbehavingAuthorizationServer } from '../../fakes/oauth/misbehaving-authorization-server.ts';
import { generateBotKeys } from '../../fakes/oauth/test-bot-keys.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const START = '2026-01-05T10:00:00.000Z';
const NOW = Date.parse(START) / 1000;

let as: MisbehavingAuthorizationServer | undefined;
afterEach(async () => as?.close());

describe('what the bot sends to the AS', () => {
  it('authenticates with private_key_jwt signed by its signing key, timed by the injected clock', async () => {
    const { keys } = await generateBotKeys();
    as = await startMisbehavingAuthorizationServer();
    const clock = new FakeClock(START);
    const config = oauthConfigFor({ issuer: as.issuer, publicUrl: 'https://elevate.example.com' });
    const issuer = await createTokenIssuer(config, { logger: silentLogger(), clock, keys });
    await issuer.exchange(exchangeInput({ windowEndsAt: new Date(Date.parse(START) + 900_000) }));

    const form = as.requests[0]!.body;
    expect(as.requests[0]!.authorization).toBeUndefined();
    expect(form.get('client_id')).toBe('elevate-bot');
    expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const jwks = createLocalJWKSet(keys.publicJwks() as unknown as JSONWebKeySet);
    const verify = (jwt: string) => jwtVerify(jwt, jwks, { currentDate: clock.now() });

    const clientAssertion = await verify(form.get('client_assertion')!);
    expect(clientAssertion.protectedHeader.kid).toBe(keys.signingKey.kid);
    expect(clientAssertion.payload).toMatchObject({ iss: 'elevate-bot', sub: 'elevate-bot', aud: as.issuer, iat: NOW, exp: NOW + 60 });

    const subject = await verify(form.get('subject_token')!);
    expect(subject.payload).toMatchObject({ iss: 'https://elevate.example.com', sub: 'alice@example.com', aud: as.issuer, iat: NOW, exp: NOW + 60 });

    const actor = await verify(form.get('actor_token')!);
    expect(actor.payload).toMatchObject({
      iss: 'https://elevate.example.com',
      sub: 'elevate-bot',
      aud: as.issuer,
      approvers: ['bob@example.com', 'carol@example.com'],
      grant_id: 'grant-0001',
      window_ends_at: NOW + 900,
    });
    expect(new Set([clientAssertion.payload.jti, subject.payload.jti, actor.payload.jti]).size).toBe(3);
  });

  it('signs with the newest key after a rotation, while both stay published', async () => {
    const { keys, privateJwks } = await generateBotKeys(2);
    as = await startMisbehavingAuthorizationServer();
    const config = oauthConfigFor({ issuer: as.issuer, publicUrl: 'https://elevate.example.com' });
    const issuer = await createTokenIssuer(config, { logger: silentLogger(), clock: new FakeClock(START), keys });
    await issuer.exchange(exchangeInput());
    expect(decodeProtectedHeader(as.requests[0]!.body.get('subject_token')!).kid).toBe(privateJwks[0]!.kid);
    expect(keys.publicJwks().keys.map((key) => key.kid)).toEqual(privateJwks.map((jwk) => jwk.kid));
  });
});
