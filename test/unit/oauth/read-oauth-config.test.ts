import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAUTH_ENV_VARS, readOAuthConfig, type OAuthConfigContext } from '../../../src/config/oauth.ts';
import type { ConfigProblem } from '../../../src/config/problems.ts';
import { generatePrivateJwk } from '../../fakes/oauth/test-bot-keys.ts';

const DEV: OAuthConfigContext = { publicUrl: 'http://localhost:3000/', dataDir: '/var/lib/elevate', nodeEnv: 'development' };
const PROD: OAuthConfigContext = { ...DEV, publicUrl: 'https://elevate.example.com', nodeEnv: 'production' };

let dir: string;
let signingFile: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'elevate-oauth-config-'));
  signingFile = join(dir, 'signing.json');
  writeFileSync(signingFile, JSON.stringify({ keys: [await generatePrivateJwk()] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function read(env: Record<string, string>, context = DEV) {
  const problems: ConfigProblem[] = [];
  const config = readOAuthConfig(env, problems, context);
  return { config, problems, keys: problems.map((problem) => problem.key) };
}

describe('readOAuthConfig', () => {
  it('uses the embedded development AS under the public URL when OAUTH_ISSUER is unset', () => {
    const { config, problems } = read({});
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      mode: 'embedded',
      issuer: 'http://localhost:3000/oauth',
      clientId: 'elevate',
      clientAuth: { method: 'private_key_jwt', keyFile: null },
      signingKeys: { source: 'generated', file: '/var/lib/elevate/oauth-signing-keys.json' },
      assertionIssuer: 'http://localhost:3000',
      jwksUrl: 'http://localhost:3000/.well-known/jwks.json',
      timeoutMs: 10_000,
      audienceParameter: 'audience',
      allowInsecureHttp: true,
    });
  });

  it('refuses the embedded AS and the generated signing key in production, naming both keys', () => {
    const { keys, problems } = read({}, PROD);
    expect(keys).toEqual(['OAUTH_ISSUER', 'ELEVATE_SIGNING_KEYS_FILE']);
    expect(problems[0]!.message).toContain('development only');
  });

  it('reads an external AS with a client secret for client_secret_basic', () => {
    const { config, problems } = read({ OAUTH_ISSUER: 'https://login.example.com/realms/main', OAUTH_CLIENT_ID: 'elevate-bot', OAUTH_CLIENT_SECRET: 's3cr3t', ELEVATE_SIGNING_KEYS_FILE: signingFile }, PROD);
    expect(problems).toEqual([]);
    expect(config).toMatchObject({ mode: 'external', issuer: 'https://login.example.com/realms/main', clientId: 'elevate-bot', allowInsecureHttp: false });
    expect(config.clientAuth).toMatchObject({ method: 'client_secret_basic', secret: 's3cr3t' });
  });

  it('never lets the client secret reach a serialised configuration', () => {
    const { config } = read({ OAUTH_ISSUER: 'https://login.example.com', OAUTH_CLIENT_ID: 'elevate-bot', OAUTH_CLIENT_SECRET: 'hunter2-secret' });
    expect(JSON.stringify(config)).not.toContain('hunter2-secret');
  });

  it('reads the client secret from OAUTH_CLIENT_SECRET_FILE', () => {
    const file = join(dir, 'secret.txt');
    writeFileSync(file, 'from-a-file\n');
    const { config } = read({ OAUTH_ISSUER: 'https://login.example.com', OAUTH_CLIENT_ID: 'x', OAUTH_CLIENT_SECRET_FILE: file });
    expect(config.clientAuth).toMatchObject({ method: 'client_secret_basic', secret: 'from-a-file' });
  });

  it('requires OAUTH_CLIENT_ID with an external issuer', () => {
    expect(read({ OAUTH_ISSUER: 'https://login.example.com' }).keys).toEqual(['OAUTH_CLIENT_ID']);
  });

  it.each([
    ['not a URL', 'login.example.com'],
    ['plain http to a remote host', 'http://login.example.com'],
    ['a query string', 'https://login.example.com/?tenant=1'],
    ['another scheme', 'ftp://login.example.com'],
  ])('rejects an issuer with %s', (_name, issuer) => {
    expect(read({ OAUTH_ISSUER: issuer, OAUTH_CLIENT_ID: 'x' }).keys).toEqual(['OAUTH_ISSUER']);
  });

  it.each(['http://localhost:8080/realms/dev', 'http://127.0.0.1:9000', 'http://[::1]:9000/as'])('allows plain http to the loopback issuer %s', (issuer) => {
    const { config, problems } = read({ OAUTH_ISSUER: issuer, OAUTH_CLIENT_ID: 'x' });
    expect(problems).toEqual([]);
    expect(config.allowInsecureHttp).toBe(true);
  });

  it('rejects a client secret and a private key file together', () => {
    const { keys } = read({ OAUTH_ISSUER: 'https://login.example.com', OAUTH_CLIENT_ID: 'x', OAUTH_CLIENT_SECRET: 's', OAUTH_PRIVATE_KEY_FILE: signingFile });
    expect(keys).toContain('OAUTH_PRIVATE_KEY_FILE');
  });

  it('reports unreadable and malformed key files with their variable names', () => {
    const garbage = join(dir, 'garbage.json');
    writeFileSync(garbage, '{"keys": [{"kty": "RSA", "n": "abc", "e": "AQAB"}]}');
    const { problems } = read({ OAUTH_ISSUER: 'https://login.example.com', OAUTH_CLIENT_ID: 'x', OAUTH_PRIVATE_KEY_FILE: join(dir, 'missing.pem'), ELEVATE_SIGNING_KEYS_FILE: garbage });
    expect(problems).toEqual([
      { key: 'OAUTH_PRIVATE_KEY_FILE', message: expect.stringContaining('ENOENT') },
      { key: 'ELEVATE_SIGNING_KEYS_FILE', message: expect.stringContaining('keys[0]: not a private key') },
    ]);
  });

  it.each([
    ['OAUTH_TIMEOUT_MS', 'soon'],
    ['OAUTH_TIMEOUT_MS', '5'],
    ['OAUTH_AUDIENCE_PARAMETER', 'aud'],
    ['OAUTH_SUBJECT_TOKEN_TYPE', 'urn:example:elevate'],
  ])('rejects %s=%s', (key, value) => {
    expect(read({ [key]: value }).keys).toEqual([key]);
  });

  it('takes a custom subject_token_type URI for an external AS only', () => {
    const external = read({ OAUTH_ISSUER: 'https://tenant.example.com', OAUTH_CLIENT_ID: 'x', OAUTH_SUBJECT_TOKEN_TYPE: 'urn:example:elevate-assertion' });
    expect(external.problems).toEqual([]);
    expect(external.config.subjectTokenType).toBe('urn:example:elevate-assertion');
    expect(read({ OAUTH_ISSUER: 'https://tenant.example.com', OAUTH_CLIENT_ID: 'x', OAUTH_SUBJECT_TOKEN_TYPE: 'not a uri' }).keys).toEqual(['OAUTH_SUBJECT_TOKEN_TYPE']);
  });

  it('collects every problem at once instead of stopping at the first', () => {
    expect(read({ OAUTH_ISSUER: 'http://login.example.com', OAUTH_TIMEOUT_MS: 'x', OAUTH_AUDIENCE_PARAMETER: 'y' }).keys).toEqual([
      'OAUTH_ISSUER',
      'OAUTH_CLIENT_ID',
      'OAUTH_TIMEOUT_MS',
      'OAUTH_AUDIENCE_PARAMETER',
    ]);
  });

  it('documents every variable it reads', () => {
    const documented = OAUTH_ENV_VARS.map((variable) => variable.name);
    expect(documented).toEqual(expect.arrayContaining(['OAUTH_ISSUER', 'OAUTH_CLIENT_ID', 'OAUTH_CLIENT_SECRET', 'OAUTH_PRIVATE_KEY_FILE', 'ELEVATE_SIGNING_KEYS_FILE', 'OAUTH_TIMEOUT_MS', 'OAUTH_AUDIENCE_PARAMETER', 'OAUTH_SUBJECT_TOKEN_TYPE']));
    for (const variable of OAUTH_ENV_VARS) expect(variable.meaning.length).toBeGreaterThan(20);
  });
});
