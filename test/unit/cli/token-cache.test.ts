import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CliError } from '../../../src/cli/elevate/cli-error.ts';
import { EXIT } from '../../../src/cli/elevate/exit-codes.ts';
import { LoginSession } from '../../../src/cli/elevate/login-session.ts';
import { configDir, TokenCache } from '../../../src/cli/elevate/token-cache.ts';
import { aCachedLogin, cliHarness } from './cli-harness.ts';

describe('the login cache', () => {
  const harnesses: ReturnType<typeof cliHarness>[] = [];
  afterEach(() => harnesses.splice(0).forEach((h) => h.cleanUp()));
  function harness(...args: Parameters<typeof cliHarness>) {
    const h = cliHarness(...args);
    harnesses.push(h);
    return h;
  }

  it('writes each login to a 0600 file in a 0700 directory', () => {
    const { configDir: dir } = harness();
    const cache = new TokenCache(dir);
    cache.write(aCachedLogin());
    const file = cache.fileFor('http://127.0.0.1:3000');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'logins')).mode & 0o777).toBe(0o700);
    // No temporary file is left beside it.
    expect(readdirSync(join(dir, 'logins'))).toEqual([file.split('/').at(-1)]);
  });

  it('keeps one login per server and never answers one server with another\'s', () => {
    const cache = new TokenCache(harness().configDir);
    cache.write(aCachedLogin({ server: 'http://127.0.0.1:3000', accessToken: 'token-a' }));
    cache.write(aCachedLogin({ server: 'https://elevate.example.com', accessToken: 'token-b' }));
    expect(cache.read('http://127.0.0.1:3000')?.accessToken).toBe('token-a');
    expect(cache.read('https://elevate.example.com')?.accessToken).toBe('token-b');
    expect(cache.read('https://elevate.example.com/other')).toBeUndefined();
  });

  it('logout deletes only that server\'s login', async () => {
    const h = harness();
    const cache = new TokenCache(h.configDir);
    cache.write(aCachedLogin({ server: 'http://127.0.0.1:3000' }));
    cache.write(aCachedLogin({ server: 'http://127.0.0.1:4000' }));
    expect(await h.run('logout', '--server', 'http://127.0.0.1:3000/')).toBe(EXIT.ok);
    expect(h.out.stderr).toBe('Logged out of http://127.0.0.1:3000.\n');
    expect(cache.read('http://127.0.0.1:3000')).toBeUndefined();
    expect(cache.read('http://127.0.0.1:4000')).toBeDefined();
    expect(await h.run('logout', '--server', 'http://127.0.0.1:3000')).toBe(EXIT.ok);
    expect(h.out.stderr).toContain('Not logged in to http://127.0.0.1:3000; nothing to do.');
  });

  it('treats an unreadable or foreign file as no login, and tightens a loosened file before reading it', () => {
    const cache = new TokenCache(harness().configDir);
    cache.write(aCachedLogin());
    const file = cache.fileFor('http://127.0.0.1:3000');
    chmodSync(file, 0o644);
    expect(cache.read('http://127.0.0.1:3000')).toBeDefined();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, '{ not json');
    expect(cache.read('http://127.0.0.1:3000')).toBeUndefined();
    writeFileSync(file, JSON.stringify(aCachedLogin({ server: 'https://somewhere.else' })));
    expect(cache.read('http://127.0.0.1:3000')).toBeUndefined();
  });

  it('lives in ELEVATE_CONFIG_DIR, else $XDG_CONFIG_HOME/elevate, else ~/.config/elevate', () => {
    expect(configDir({ ELEVATE_CONFIG_DIR: '/tmp/e', XDG_CONFIG_HOME: '/x' })).toBe('/tmp/e');
    expect(configDir({ XDG_CONFIG_HOME: '/x' })).toBe('/x/elevate');
    expect(configDir({ XDG_CONFIG_HOME: 'relative' })).toMatch(/\/\.config\/elevate$/);
    expect(configDir({})).toMatch(/\/\.config\/elevate$/);
  });
});

describe('a cached login used for a call', () => {
  const server = new URL('http://127.0.0.1:3000');
  const harnesses: ReturnType<typeof cliHarness>[] = [];
  afterEach(() => harnesses.splice(0).forEach((h) => h.cleanUp()));

  function sessionAt(now: number, env: Record<string, string> = {}) {
    const h = cliHarness(env, now);
    harnesses.push(h);
    const cache = new TokenCache(h.configDir);
    return { cache, session: new LoginSession(h.ctx, server, cache) };
  }

  it('gives the cached access token while it is fresh', async () => {
    const { cache, session } = sessionAt(Date.parse('2026-03-02T09:05:00Z'));
    cache.write(aCachedLogin());
    await expect(session.current()).resolves.toBe('eyJ.cached-access-token.sig');
  });

  it('says to log in when there is no login for the server', async () => {
    const { session } = sessionAt(Date.parse('2026-03-02T09:05:00Z'));
    const error = await session.current().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.auth);
    expect((error as CliError).message).toBe('Not logged in to http://127.0.0.1:3000: run `elevate login` (or `elevate login --client-credentials` for a service account).');
  });

  it('does not use a token within 30 s of its expiry: without a refresh token it asks for a new login', async () => {
    const { cache, session } = sessionAt(Date.parse('2026-03-02T09:09:45Z'));
    cache.write(aCachedLogin({ refreshToken: undefined }));
    const error = (await session.current().catch((e: unknown) => e)) as CliError;
    expect(error.exitCode).toBe(EXIT.auth);
    expect(error.message).toBe('Your login to http://127.0.0.1:3000 has expired: run `elevate login` again.');
  });

  it('re-requests an expired service-account login from the environment, and says which variable is missing', async () => {
    const { cache, session } = sessionAt(Date.parse('2026-03-02T10:00:00Z'));
    cache.write(aCachedLogin({ method: 'client_credentials', clientId: 'svc-deploy', refreshToken: undefined }));
    const error = (await session.current().catch((e: unknown) => e)) as CliError;
    expect(error.exitCode).toBe(EXIT.auth);
    expect(error.message).toContain('has expired and cannot be renewed: ELEVATE_CLIENT_ID is not set');
    expect(error.message).not.toContain('cached-access-token');
  });
});
