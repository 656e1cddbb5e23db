import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseClientKeyText, parseSigningKeysText } from '../../../src/shared/keys/parse-key-file.ts';
import { generatePrivateJwk } from '../../fakes/oauth/test-bot-keys.ts';

describe('parseSigningKeysText', () => {
  it('keeps the order of the file, newest first, with each key algorithm', async () => {
    const rsa = await generatePrivateJwk('RS256');
    const ec = await generatePrivateJwk('ES256');
    const { alg: _a, ...ecWithoutAlg } = ec;
    const entries = parseSigningKeysText(JSON.stringify({ keys: [ecWithoutAlg, rsa] }));
    expect(entries.map((entry) => [entry.kid, entry.alg])).toEqual([
      [ec.kid, 'ES256'],
      [rsa.kid, 'RS256'],
    ]);
  });

  it.each([
    ['not JSON', 'keys: []', 'not JSON'],
    ['an empty set', '{"keys": []}', 'at least one private key'],
    ['a public key', '{"keys": [{"kty": "EC", "crv": "P-256", "x": "a", "y": "b"}]}', 'keys[0]: not a private key'],
    ['an encryption key', '{"keys": [{"kty": "EC", "crv": "P-256", "x": "a", "y": "b", "d": "c", "use": "enc"}]}', '"use" must be "sig"'],
    ['an unsupported curve', '{"keys": [{"kty": "EC", "crv": "secp256k1", "x": "a", "y": "b", "d": "c"}]}', 'unsupported EC curve'],
    ['a symmetric key', '{"keys": [{"kty": "oct", "k": "c2VjcmV0", "d": "x"}]}', 'unsupported key type'],
    ['garbage members', '{"keys": [{"kty": "EC", "crv": "P-256", "x": "a", "y": "b", "d": "c"}]}', 'not a valid private JWK'],
  ])('rejects %s with a message that names the problem', (_name, text, message) => {
    expect(() => parseSigningKeysText(text)).toThrow(message);
  });

  it('rejects two keys with the same kid', async () => {
    const key = await generatePrivateJwk('ES256');
    expect(() => parseSigningKeysText(JSON.stringify({ keys: [key, key] }))).toThrow('same kid');
  });

  it('never quotes private key material in its errors', async () => {
    const key = await generatePrivateJwk('ES256');
    const broken = { ...key, x: 'AAAA' };
    expect(() => parseSigningKeysText(JSON.stringify({ keys: [broken] }))).toThrow(expect.objectContaining({ message: expect.not.stringContaining(key.d as string) }));
  });
});

describe('parseClientKeyText', () => {
  it('reads a PKCS#8 PEM key and infers its algorithm', () => {
    const pem = execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const entry = parseClientKeyText(pem);
    expect(entry).toMatchObject({ alg: 'ES256', kid: undefined, jwk: { kty: 'EC', crv: 'P-256' } });
  });

  it('reads a single JWK and a JWKS of one key', async () => {
    const key = await generatePrivateJwk('RS256');
    expect(parseClientKeyText(JSON.stringify(key)).kid).toBe(key.kid);
    expect(parseClientKeyText(JSON.stringify({ keys: [key] })).kid).toBe(key.kid);
  });

  it('rejects an RSA key shorter than 2048 bits', () => {
    const pem = execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(() => parseClientKeyText(pem)).toThrow('at least 2048 bits');
  });

  it('rejects an encrypted PEM key', () => {
    expect(() => parseClientKeyText('-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----')).toThrow('encrypted');
  });

  it('rejects a certificate or public key', () => {
    expect(() => parseClientKeyText('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')).toThrow('expected a PEM private key');
  });
});
