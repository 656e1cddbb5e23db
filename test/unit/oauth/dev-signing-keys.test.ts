import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBotKeys } from '../../../src/adapters/oauth/index.ts';
import { ElevateError } from '../../../src/domain/errors.ts';
import { silentLogger } from '../../../src/logging/logger.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'elevate-dev-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const generated = (file: string) => ({ signingKeys: { source: 'generated', file } as const, clientAuth: { method: 'private_key_jwt', keyFile: null } as const });

describe('development signing keys', () => {
  it('are generated once in the data directory, readable only by the owner', async () => {
    const file = join(dir, 'nested', 'oauth-signing-keys.json');
    const keys = await loadBotKeys(generated(file), { logger: silentLogger() });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { keys: Array<{ kid: string; alg: string; d?: string }> };
    expect(stored.keys).toHaveLength(1);
    expect(stored.keys[0]).toMatchObject({ kid: keys.signingKey.kid, alg: 'RS256', d: expect.any(String) });
  });

  it('are reused on the next start, so the published JWKS stays the same', async () => {
    const file = join(dir, 'oauth-signing-keys.json');
    const first = await loadBotKeys(generated(file), { logger: silentLogger() });
    const second = await loadBotKeys(generated(file), { logger: silentLogger() });
    expect(second.publicJwks()).toEqual(first.publicJwks());
  });

  it('get their file permissions tightened when someone loosened them', async () => {
    const file = join(dir, 'oauth-signing-keys.json');
    await loadBotKeys(generated(file), { logger: silentLogger() });
    chmodSync(file, 0o644);
    await loadBotKeys(generated(file), { logger: silentLogger() });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('configured signing keys', () => {
  it('that cannot be read fail with config_invalid naming the variable', async () => {
    const error = await loadBotKeys({ signingKeys: { source: 'file', file: join(dir, 'missing.json') }, clientAuth: { method: 'private_key_jwt', keyFile: null } }, { logger: silentLogger() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ElevateError);
    expect(error).toMatchObject({ code: 'config_invalid', message: expect.stringContaining('ELEVATE_SIGNING_KEYS_FILE') });
  });
});
