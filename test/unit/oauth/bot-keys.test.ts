import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { createBotKeys, createJwksHandler } from '../../../src/adapters/oauth/index.ts';
import { signAssertion } from '../../../src/adapters/oauth/assertions/sign-assertion.ts';
import { parseClientKeyText } from '../../../src/shared/keys/parse-key-file.ts';
import { generateBotKeys, generatePrivateJwk } from '../../fakes/oauth/test-bot-keys.ts';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

describe('the bot keys', () => {
  it('publish only public members, with kid, alg and use', async () => {
    const { keys } = await generateBotKeys(2, 'RS256');
    for (const jwk of keys.publicJwks().keys) {
      for (const member of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(member);
      expect(jwk).toMatchObject({ kty: 'RSA', kid: expect.any(String), alg: 'RS256', use: 'sig', n: expect.any(String), e: 'AQAB' });
    }
  });

  it('sign with the newest key and keep publishing the older ones during a rotation', async () => {
    const { keys, privateJwks } = await generateBotKeys(2);
    const [newest, older] = privateJwks;
    expect(keys.signingKey.kid).toBe(newest!.kid);
    expect(keys.publicJwks().keys.map((jwk) => jwk.kid)).toEqual([newest!.kid, older!.kid]);
    const jwt = await signAssertion({ sub: 'x' }, keys.signingKey);
    const { protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(keys.publicJwks() as unknown as JSONWebKeySet));
    expect(protectedHeader).toMatchObject({ kid: newest!.kid, alg: 'ES256', typ: 'JWT' });
  });

  it('name a key without kid by its RFC 7638 thumbprint', async () => {
    const { kid, ...withoutKid } = await generatePrivateJwk('ES256');
    const keys = await createBotKeys([{ jwk: withoutKid, alg: 'ES256', kid: undefined }]);
    expect(keys.signingKey.kid).toBe(kid);
  });

  it('authenticate the client with a separate key when one is given, and publish it too', async () => {
    const signing = await generatePrivateJwk('ES256');
    const client = await generatePrivateJwk('RS256');
    const keys = await createBotKeys([{ jwk: signing, alg: 'ES256', kid: signing.kid }], parseClientKeyText(JSON.stringify(client)));
    expect(keys.signingKey.kid).toBe(signing.kid);
    expect(keys.clientAuthKey.kid).toBe(client.kid);
    expect(keys.publicJwks().keys.map((jwk) => jwk.kid)).toEqual([signing.kid, client.kid]);
  });

  it('hold private keys that cannot be exported', async () => {
    const { keys } = await generateBotKeys();
    expect(keys.signingKey.privateKey.extractable).toBe(false);
  });
});

describe('the JWKS handler', () => {
  it('serves the public keys as JSON and refuses other methods', async () => {
    const { keys } = await generateBotKeys(2);
    const server = createServer(createJwksHandler(keys));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    try {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual(keys.publicJwks());
      expect((await fetch(url, { method: 'POST' })).status).toBe(405);
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });
});
